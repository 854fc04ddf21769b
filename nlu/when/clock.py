"""Times of day, ranges, lengths and parts of the day in normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.when.scan import number, take

_H = r"(?<![0-9.:/])(?P<h>[0-9]{1,2})"
_KK_ENDING = r"(?:-?(?:да|де|та|те|нда|нде|га|ге|ка|ке|дан|ден|тан|тен|нан|нен))"
_KK_HALF = r"(?P<half>\s+жарым[а-я]*)?"
_KK_PART = (
    r"(?P<q>танертенги|танертен|тангы|тустен\s+кейин(?:ги)?|тустен\s+сон(?:гы)?|туски|тускы"
    r"|кешки|кешке|кеште|тунги|тунде|кундизги|кундиз)"
)
_EN_PART = r"(?P<q>in\s+the\s+morning|in\s+the\s+afternoon|in\s+the\s+evening|at\s+night|tonight)"
_RU_PART = r"(?P<q>утра|дня|вечера|ночи)"
_QUALIFIERS = {
    "morning": ("танертенги", "танертен", "тангы", "in the morning", "утра"),
    "afternoon": (
        *("тустен кейин", "тустен кейинги", "тустен сон", "тустен сонгы", "туски", "тускы"),
        *("кундизги", "кундиз", "in the afternoon", "дня"),
    ),
    "evening": ("кешки", "кешке", "кеште", "in the evening", "tonight", "вечера"),
    "night": ("тунги", "тунде", "at night", "ночи"),
}
_PART_OF = {word: part for part, words in _QUALIFIERS.items() for word in words}

_DURATIONS = (
    re.compile(r"\bfor\s+(?:(?P<n>[0-9]+(?:[.,][0-9]+)?)|an?)\s+(?:more\s+)?hours?\b"),
    re.compile(
        r"\b(?:на|в\s+течени[еи])\s+(?:(?P<n>[0-9]+(?:[.,][0-9]+)?)\s+)?час(?:а|ов)?\b"
        r"(?!\s+(?:дня|утра|вечера|ночи))"
    ),
    re.compile(r"(?<![0-9.:/])(?P<n>[0-9]+(?:[.,][0-9]+)?)\s+сагат(?:ка|тай|тык|\s+бойы)\b"),
)
_T1 = r"(?<![0-9.:/])(?P<h>[0-9]{1,2})(?:[:.](?P<m>[0-9]{2}))?(?:\s*(?P<ap>am|pm))?"
_T2 = r"(?P<h2>[0-9]{1,2})(?:[:.](?P<m2>[0-9]{2}))?(?:\s*(?P<ap2>am|pm))?(?![0-9])"
_RANGES = (
    re.compile(rf"\b(?:from|between)\s+{_T1}\s+(?:to|till|until|and|-)\s+{_T2}"),
    re.compile(rf"\bс\s+{_T1}(?:\s+час[а-я]*)?\s+до\s+{_T2}(?:\s+час[а-я]*)?(?:\s+{_RU_PART})?"),
    re.compile(
        rf"(?:\bсагат\s+)?{_T1}-?(?:дан|ден|тан|тен|нан|нен)\s+(?:сагат\s+)?"
        rf"{_T2}-?(?:га|ге|ка|ке)\s+дейин\b"
    ),
)
_MINUTES = r"(?:(?:[:.]|\s)(?P<m>[0-9]{2}))?"
_CLOCKS = (
    re.compile(rf"(?:\b{_KK_PART}\s+)?\bсагат\s+{_H}{_MINUTES}{_KK_ENDING}?{_KK_HALF}(?![0-9])"),
    re.compile(rf"\b{_KK_PART}\s+{_H}(?:[:.](?P<m>[0-9]{{2}}))?{_KK_ENDING}?{_KK_HALF}(?![0-9])"),
    re.compile(rf"{_H}(?:[:.](?P<m>[0-9]{{2}}))?-(?:да|де|та|те|га|ге|ка|ке)\b{_KK_HALF}"),
    re.compile(
        r"\b(?P<cue>в|во|к|около|на|примерно\s+в|часов\s+в)\s+"
        rf"{_H}{_MINUTES}(?P<hr>\s+час(?:а|ов)?|\s*ч\b)?"
        rf"(?:\s+(?P<m_ru>[0-9]{{1,2}})\s+мин[а-я]*)?(?:\s+{_RU_PART})?(?![0-9])"
    ),
    re.compile(rf"{_H}(?:[:.](?P<m>[0-9]{{2}}))?(?P<hr>\s+час(?:а|ов)?)?\s+{_RU_PART}\b"),
    re.compile(r"\b(?:в\s+)?(?P<k>половин[аеу])\s+(?P<rel>)(?P<h>[0-9]{1,2})ord\b"),
    re.compile(
        rf"\b(?:at\s+)?(?P<k>half|quarter)\s+(?P<rel>past|to)\s+{_H}(?:\s*(?P<ap>am|pm))?\b"
    ),
    re.compile(
        rf"\b(?P<cue>at|around|about|for)\s+{_H}{_MINUTES}(?:\s*(?P<ap>am|pm))?"
        rf"(?P<hr>\s*o\s?clock)?(?:\s+{_EN_PART})?(?![0-9])"
    ),
    re.compile(rf"{_H}(?::(?P<m>[0-9]{{2}}))?\s*(?P<ap>am|pm)\b"),
    re.compile(rf"{_H}(?::(?P<m>[0-9]{{2}}))?(?P<hr>\s*o\s?clock)?(?:\s+{_EN_PART})\b"),
    re.compile(rf"{_H}(?::(?P<m>[0-9]{{2}}))?\s*o\s?clock\b"),
    re.compile(rf"{_H}[:.](?P<m>[0-9]{{2}}){_KK_ENDING}?(?![0-9]|[:.][0-9])"),
    re.compile(  # the second of two times: 'at 5 or 6', 'в 10 или 11'
        r"(?<=#)\s+(?:or|или|либо|немесе|не)\s+(?:(?:at|в|сагат)\s+)?"
        rf"{_H}(?::(?P<m>[0-9]{{2}}))?{_KK_ENDING}?(?![0-9])"
    ),
)
_ONE_OCLOCK = re.compile(r"\b(?:в|к|около)\s+час(?:у)?\b(?:\s+(?P<q>дня|ночи))?")
_NOON = re.compile(r"\b(?:(?:at|в|к|около)\s+)?(?:noon|midday|полдень|тусте)\b")
_MIDNIGHT = re.compile(r"\b(?:(?:at|в|к|около)\s+)?(?:midnight|полноч[ьи])\b")
_NOT_AN_HOUR = re.compile(
    r"\s+(?:раз|человек|рубл|тенге|лет|год|класс|этаж|дн|недел|месяц|мест|процент|кабинет"
    r"|квартир|дом|групп|минут|км|кг|шт|подъезд|корпус|окн|[0-9]|year|people|person|time|day|week|month|floor|minute"
    r"|room|kg|km)"
)
_PARTS = {
    "morning": re.compile(
        r"\b(?:(?<!good\s)morning|утром|с\s+утра|утренн[а-я]*|до\s+обеда|танертен[а-я]*|тангы)\b"
    ),
    "afternoon": re.compile(
        r"\b(?:(?<!good\s)afternoon|днем|после\s+обеда|после\s+полудня|в\s+обед"
        r"|тустен\s+(?:кейин|сон)[а-я]*|кундиз[а-я]*|туски|тускы)\b"
    ),
    "evening": re.compile(
        r"\b(?:(?<!good\s)evening|tonight|вечером|под\s+вечер|к\s+вечеру|вечерн[а-я]*"
        r"|кешке|кешки|кеште|кешкурым[а-я]*)\b"
    ),
}


@dataclass(frozen=True, slots=True)
class ClockFound:
    """An hour as written, with what qualifies it: am/pm, a part of the day, a 24-hour form."""

    hour: int
    minute: int = 0
    meridiem: str | None = None
    qualifier: str | None = None
    explicit: bool = False


def find_durations(text: str) -> tuple[list[float], str]:
    """Lengths in hours ('for 2 hours', 'на два часа', 'екі сағатқа') and the masked text."""
    lengths: list[float] = []
    for pattern in _DURATIONS:
        matches, text = take(pattern, text)
        lengths += [float((m.group("n") or "1").replace(",", ".")) for m in matches]
    return lengths, text


def find_ranges(text: str) -> tuple[list[tuple[ClockFound, ClockFound]], str]:
    """Ranges such as 'from 10 to 12', 'с 10 до 12', '10-нан 12-ге дейін', and the masked text."""
    ranges: list[tuple[ClockFound, ClockFound]] = []
    for pattern in _RANGES:
        matches, text = take(pattern, text)
        for m in matches:
            qualifier = _PART_OF.get(" ".join((m.groupdict().get("q") or "").split()))
            end = _clock(m.group("h2"), m.group("m2"), m.group("ap2"), qualifier)
            start = _clock(m.group("h"), m.group("m"), m.group("ap") or m.group("ap2"), qualifier)
            ranges.append((start, end))
    return ranges, text


def find_clocks(text: str) -> tuple[list[ClockFound], str]:
    """Times of day as written, in the order of the patterns, and the masked text."""
    clocks: list[ClockFound] = []
    for pattern in _CLOCKS:
        matches, text = take(pattern, text, _is_time)
        clocks += [_from_match(m) for m in matches]
    matches, text = take(_ONE_OCLOCK, text)
    clocks += [ClockFound(1, qualifier=_PART_OF.get(m.group("q") or "")) for m in matches]
    matches, text = take(_NOON, text)
    clocks += [ClockFound(12, explicit=True) for _ in matches]
    matches, text = take(_MIDNIGHT, text)
    clocks += [ClockFound(0, explicit=True) for _ in matches]
    return clocks, text


def find_parts(text: str) -> set[str]:
    """The parts of the day named on their own: morning, afternoon, evening."""
    return {part for part, pattern in _PARTS.items() if pattern.search(text)}


def part_of(clock: ClockFound) -> str | None:
    """The part of the day a time's qualifier names, if it is morning, afternoon or evening."""
    return clock.qualifier if clock.qualifier in ("morning", "afternoon", "evening") else None


def _is_time(match: re.Match[str], text: str) -> bool:
    """Whether a match is a time, not 'на 3 дня', '3 раза' or 'for 2 people'."""
    groups = match.groupdict()
    cue, qualifier, hours_word = groups.get("cue"), groups.get("q"), groups.get("hr")
    if qualifier == "дня" and not hours_word and cue not in ("в", "во", "к", "около"):
        return False  # 'на 3 дня', 'через 3 дня': days, not 3 pm
    if cue is None or qualifier or hours_word or groups.get("m") or groups.get("ap"):
        return True
    if groups.get("m_ru"):
        return True
    if cue == "for":
        return not text[match.end() :].lstrip(" #")[:1].isalpha()
    return not _NOT_AN_HOUR.match(text, match.end())


def _from_match(match: re.Match[str]) -> ClockFound:
    """A ClockFound from any of the time patterns."""
    groups = match.groupdict()
    minute = number(match, "m") if groups.get("m") else None
    if groups.get("m_ru"):
        minute = int(groups["m_ru"])
    if groups.get("half"):
        minute = 30
    qualifier = _PART_OF.get(" ".join((groups.get("q") or "").split()))
    clock = _clock(match.group("h"), None, groups.get("ap"), qualifier)
    if groups.get("k"):
        minute = 15 if groups["k"] == "quarter" else 30
        before = clock.hour - 1 if clock.hour > 1 else 12
        if groups["k"].startswith("половин"):  # 'в половине одиннадцатого' is 10:30
            return ClockFound(before, 30, None, qualifier)
        if groups["rel"] == "to":
            return ClockFound(before, 45, clock.meridiem, qualifier)
    return ClockFound(clock.hour, minute or 0, clock.meridiem, qualifier, clock.explicit)


def _clock(
    hour: str, minute: str | None, meridiem: str | None, qualifier: str | None
) -> ClockFound:
    """A ClockFound from digits; '07' and '17' are read on the 24-hour clock as written."""
    value = int(hour)
    explicit = hour.startswith("0") or value >= 13 or value == 0
    return ClockFound(value, int(minute or 0), meridiem, qualifier, explicit)
