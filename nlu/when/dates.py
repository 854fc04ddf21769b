"""Dates in normalised text: relative days, weekdays, numeric and written dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.profile import Language
from nlu.when.model import AMBIGUOUS, IMPOSSIBLE
from nlu.when.scan import number, take

_MONTHS = "|".join(
    f"(?P<m{index}>{forms})"
    for index, forms in enumerate(
        (
            r"jan(?:uary)?|январ[ьяею]|кантар[а-я]*",
            r"feb(?:ruary)?|феврал[ьяею]|акпан[а-я]*",
            r"mar(?:ch)?|март[аеу]?|наурыз[а-я]*",
            r"apr(?:il)?|апрел[ьяею]|сауир[а-я]*",
            r"may|ма[йяею]|мамыр[а-я]*",
            r"june?|июн[ьяею]|маусым[а-я]*",
            r"july?|июл[ьяею]|шилде[а-я]*",
            r"aug(?:ust)?|август[аеу]?|тамыз[а-я]*",
            r"sep(?:t(?:ember)?)?|сентябр[ьяею]|кыркуйек[а-я]*",
            r"oct(?:ober)?|октябр[ьяею]|казан[а-я]*",
            r"nov(?:ember)?|ноябр[ьяею]|караша[а-я]*",
            r"dec(?:ember)?|декабр[ьяею]|желтоксан[а-я]*",
        ),
        start=1,
    )
)
_MONTH = rf"(?:{_MONTHS})(?![a-zа-я])"
_DAY_ENDING = r"(?:-?(?:st|nd|rd|th|ord|го|ого|ое|е|ши|шы|инши|ынши|нши|ншы))?"
_DAY_ENDING_AFTER_MONTH = (
    r"(?:-?(?:st|nd|rd|th|ord|инде|ында|нде|нда|ине|ына|не|на|и|ы|де|да|те|та|ге|га|ке|ка))?"
)
_ISO = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])")
_NUMERIC = re.compile(
    r"(?<![0-9.:/])(?P<d>[0-9]{1,2})(?P<sep>[./])(?P<mo>[0-9]{1,2})"
    r"(?:(?P=sep)(?P<y>[0-9]{4}|[0-9]{2}))?(?![0-9]|[./:][0-9])"
)
_TIME_CUE = re.compile(
    r"(?:\b(?:в|во|к|с|до|около|at|around|about|from|to|till|until|сагат|тангы|кешки|туски)"
    r"|\bтустен\s+кейин)\s*$"
)
_DAY_MONTH = re.compile(
    r"(?:\b(?P<y0>[0-9]{4})\s*(?:жылгы|жылы|ж)\s+)?(?<![0-9.:/])"
    rf"(?P<d>[0-9]{{1,2}}){_DAY_ENDING}\s*(?:of\s+)?{_MONTH}(?:\s+(?P<y>[0-9]{{4}}))?(?![0-9])"
)
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}(?:\s+айы[а-я]*)?\s+(?:the\s+)?(?P<d>[0-9]{{1,2}}){_DAY_ENDING_AFTER_MONTH}"
    r"(?![0-9.:a-zа-я])(?:\s+(?P<y>[0-9]{4})(?![0-9]))?"
)
_DAY_ONLY = re.compile(
    r"(?<![0-9.:/])(?P<d>[0-9]{1,2})-?го\b|(?<![0-9.:/])(?P<d2>[0-9]{1,2})(?:ord|-?го|-?е)?\s+числа\b"
    r"|\b(?:на|к)\s+(?P<d3>[0-9]{1,2})(?:ord|-?е)\b"
    r"|\b(?:on|for)\s+the\s+(?P<d4>[0-9]{1,2})(?:st|nd|rd|th|ord)\b"
    r"(?!\s+(?:time|one|option|slot|floor|person|people))"
)
_RELATIVE = (
    (re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b|\bпозавчера\b"), -2),
    (re.compile(r"\byesterday\b|\bвчера\b|\bкеше(?:ги)?\b"), -1),
    (
        re.compile(
            r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\bпослезавтра\b|\bпосле\s+завтра\b"
            r"|\bбурс[иу]г?уни\b|\bаргы\s+куни\b"
        ),
        2,
    ),
    (re.compile(r"\btomorrow\b|\bзавтра(?:шн[а-я]*)?\b|\bертен(?:ге|ги|де|нен)?\b"), 1),
    (re.compile(r"\btoday\b|\bсегодня(?:шн[а-я]*)?\b|\bбугин(?:ге|ги|де|нен)?\b"), 0),
)
_TODAY_UNMASKED = re.compile(r"\btonight\b|\bthis\s+(?:morning|afternoon|evening)\b")
_WEEKDAYS = "|".join(
    f"(?P<w{index}>{forms})"
    for index, forms in enumerate(
        (
            r"monday|понедельник[а-я]*|дуйсенби[а-я]*",
            r"tuesday|вторник[а-я]*|сейсенби[а-я]*",
            r"wednesday|сред[ауые]|сарсенби[а-я]*",
            r"thursday|четверг[а-я]*|бейсенби[а-я]*",
            r"friday|пятниц[а-я]*|жума(?:да|га|ны|нын|сы|сына|сында|дан)?",
            r"saturday|суббот[а-я]*|сенби[а-я]*",
            r"sunday|воскресень[а-я]*|жексенби[а-я]*",
        )
    )
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<next>next|следующ[а-я]*|келеси)\s+"
    r"|(?P<this>this\s+coming|this|coming|эт[аиоу][а-я]*|ближайш[а-я]*|осы|алдагы)\s+)?"
    rf"(?:(?:on|в|во)\s+)?\b(?:{_WEEKDAYS})\b"
)
_NEXT_WEEK = re.compile(
    r"\b(?:next\s+week|in\s+a\s+week|следующ[а-я]*\s+недел[а-я]*|через\s+неделю"
    r"|келеси\s+апта[а-я]*)"
)
_THIS_WEEK = re.compile(r"\b(?:this\s+week|эт[а-я]*\s+недел[а-я]*|осы\s+апта[а-я]*)")
_VAGUE = re.compile(
    r"\b(?:(?:next|this)\s+month|(?:следующ|эт)[а-я]*\s+месяц[а-я]*|(?:келеси|осы)\s+ай[а-я]*"
    r"|weekend|выходн[а-я]*|демалыс[а-я]*)"
)
_HALF_YEAR = 183


@dataclass(frozen=True, slots=True)
class DateFound:
    """One date mentioned: its value, or why it cannot be one."""

    day: date | None
    problem: str | None = None


@dataclass(slots=True)
class Dates:
    """Every date mentioned, and mentions of a week or month without a day."""

    found: list[DateFound] = field(default_factory=list)
    vague: bool = False


def find_dates(text: str, today: date, language: Language) -> tuple[Dates, str]:
    """The dates in normalised text, and the text with them masked."""
    dates = Dates()
    matches, text = take(_ISO, text)
    dates.found += [_exact(number(m, "d"), number(m, "mo"), number(m, "y")) for m in matches]
    matches, text = take(_NUMERIC, text, _is_numeric_date)
    dates.found += [_numeric(m, today, language) for m in matches]
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        matches, text = take(pattern, text)
        dates.found += [_written(m, today) for m in matches]
    matches, text = take(_DAY_ONLY, text)
    dates.found += [_day_only(m, today) for m in matches]
    for pattern, shift in _RELATIVE:
        matches, text = take(pattern, text)
        dates.found += [DateFound(today + timedelta(days=shift)) for _ in matches]
    if _TODAY_UNMASKED.search(text):
        dates.found.append(DateFound(today))
    next_week, text = take(_NEXT_WEEK, text)
    this_week, text = take(_THIS_WEEK, text)
    matches, text = take(_WEEKDAY, text)
    dates.found += [_weekday(m, today, bool(next_week), bool(this_week)) for m in matches]
    vague, text = take(_VAGUE, text)
    dates.vague = bool(next_week or this_week or vague)
    return dates, text


def _is_numeric_date(match: re.Match[str], text: str) -> bool:
    """Whether 'N.M' is a date: not a time after 'at' or 'в', nor a time that is no date."""
    first, second = int(match.group("d")), int(match.group("mo"))
    if match.group("y") or match.group("sep") == "/":
        return True
    could_be_time = first <= 24 and second <= 59
    if could_be_time and _TIME_CUE.search(text, max(0, match.start() - 20), match.start()):
        return False
    return not (could_be_time and _exact(first, second, 2000).day is None)


def _numeric(match: re.Match[str], today: date, language: Language) -> DateFound:
    """A date written with digits: 25.11, 25.11.2026, 25/11 (and 11/25 in English)."""
    first, second, year = int(match.group("d")), int(match.group("mo")), number(match, "y")
    if year is not None and year < 100:
        year += 2000
    if match.group("sep") == "/" and language is Language.EN:
        if first <= 12 and second <= 12 and first != second:
            return DateFound(None, AMBIGUOUS)
        if second > 12 >= first:
            first, second = second, first
    if year is not None:
        return _exact(first, second, year)
    return _this_or_next_year(first, second, today)


def _written(match: re.Match[str], today: date) -> DateFound:
    """A date with the month in words: 25 November, 25 ноября, қарашаның 25-і."""
    month = next(index for index in range(1, 13) if match.group(f"m{index}") is not None)
    day = int(match.group("d"))
    year = match.groupdict().get("y0") or match.group("y")
    if year is not None:
        return _exact(day, month, int(year))
    return _this_or_next_year(day, month, today)


def _day_only(match: re.Match[str], today: date) -> DateFound:
    """The 25th: this month if it is still ahead, otherwise next month."""
    day = int(next(value for value in match.groups() if value is not None))
    year, month = today.year, today.month
    if day < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _exact(day, month, year)


def _weekday(match: re.Match[str], today: date, next_week: bool, this_week: bool) -> DateFound:
    """Friday, this Friday, next Friday: next Friday is in the next week starting Monday."""
    weekday = next(index for index in range(7) if match.group(f"w{index}") is not None)
    ahead = (weekday - today.weekday()) % 7
    next_monday = today + timedelta(days=7 - today.weekday())
    if match.group("next"):
        if weekday > today.weekday():
            return DateFound(None, AMBIGUOUS)  # this week's or the next one's
        return DateFound(next_monday + timedelta(days=weekday))
    if next_week:
        return DateFound(next_monday + timedelta(days=weekday))
    if this_week:
        return DateFound(today + timedelta(days=weekday - today.weekday()))
    if ahead == 0 and not match.group("this"):
        return DateFound(None, AMBIGUOUS)  # today or a week from today
    return DateFound(today + timedelta(days=ahead))


def _this_or_next_year(day: int, month: int, today: date) -> DateFound:
    """A date without a year: this year's, or next year's when this year's is long gone."""
    this_year = _exact(day, month, today.year)
    if this_year.day is None:
        return _exact(day, month, today.year + 1)
    if this_year.day >= today or (today - this_year.day).days <= _HALF_YEAR:
        return this_year
    return _exact(day, month, today.year + 1)


def _exact(day: int | None, month: int | None, year: int | None) -> DateFound:
    """The date, or 'impossible' for 31 February or month 13."""
    try:
        if day is None or month is None or year is None or year < 1000:
            raise ValueError
        return DateFound(date(year, month, day))
    except ValueError:
        return DateFound(None, IMPOSSIBLE)
