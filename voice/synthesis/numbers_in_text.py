"""Find numbers, dates, times, amounts and phone numbers in a text and say them in words."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Final

from core.profile import Language
from voice.synthesis.number_grammar import (
    KK_CASE_ENDINGS,
    KK_ORDINAL_SUFFIXES,
    ROMAN,
    RU_FEMININE_NOUNS,
    RU_GENITIVE_BEFORE,
    RU_GROUP_CASE,
    RU_ORDINAL_ENDINGS,
    RU_ORDINAL_SUFFIX,
    RU_PREPOSITION_CASE,
    RU_YEAR_ABBREVIATION_CASE,
    RU_YEAR_CASE,
    RU_YEAR_NOUN,
    UNITS,
)
from voice.synthesis.spoken_numbers import (
    MONTHS,
    Case,
    Gender,
    cardinal,
    clock_time,
    date,
    digits,
    ordinal,
    russian_plural,
    year,
)

_L: Final = r"[^\W\d_]"
"""Any letter."""

_SPACE: Final = "[ \u00a0\u202f]"
_NUMBER: Final = {
    Language.KK: rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?",
    Language.RU: rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?",
    Language.EN: r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f]\d{3})+|\d+(?:\.\d+)?",
}
"""A written number: thousands grouped by spaces (or commas in English), decimals."""

ABBREVIATION_DOT: Final = r"(?:\.(?!\s*$|\s+(?-i:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])))?"
"""The dot of a short form, unless it also ends the sentence (then it stays as the full stop)."""

_UNIT: Final = (
    rf"%|₸|KZT\b|тенге\b|теңге\b|tenge\b"
    rf"|(?:тг|тыс|млн|млрд){ABBREVIATION_DOT}(?![^\W\d_])"
)

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Language], str]]


def _previous_word(match: re.Match[str]) -> str:
    """The word just before a match, in lower case."""
    before = re.search(rf"({_L}+)\s*$", match.string[max(0, match.start() - 40) : match.start()])
    return before.group(1).lower() if before else ""


def _value(written: str, language: Language) -> Decimal:
    """The value of a written number such as "5 000", "3,5" or "1,250.75"."""
    cleaned = re.sub(_SPACE, "", written)
    cleaned = cleaned.replace(",", "") if language is Language.EN else cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return Decimal(0)


def _say_number(written: str, language: Language, *, gender: Gender = "m", case: Case = "n") -> str:
    """A written number in words; leading zeros are read digit by digit."""
    if len(written) > 1 and written.startswith("0") and written.isdigit():
        return digits(written, language)
    return cardinal(_value(written, language), language, gender=gender, case=case)


def _number_case(match: re.Match[str], language: Language) -> Case:
    """The case a Russian number takes from the word before it."""
    if language is Language.RU and _previous_word(match) in RU_GENITIVE_BEFORE:
        return "g"
    return "n"


def _glue(words: str, suffix: str | None) -> str:
    """Attach a Kazakh ending written after a hyphen ("112-ге") to the spoken number."""
    return f"{words}{suffix}" if suffix else words


def _phone(match: re.Match[str], language: Language) -> str:
    """A phone number digit by digit, its groups apart: "+7 701 ..." → "plus seven, ..."."""
    plus = {Language.KK: "плюс", Language.RU: "плюс", Language.EN: "plus"}[language]
    groups = re.findall(r"\d+", match.group(0))
    said = [digits(group, language) for group in groups]
    if match.group(0).startswith("+"):
        said[0] = f"{plus} {said[0]}"
    return ", ".join(said)


def _service_number(match: re.Match[str], language: Language) -> str:
    """A short service number such as 112 or 1414 digit by digit."""
    said = _glue(digits(match.group("num"), language), match.group("suf"))
    return f"{match.group('before') or ''}{said}{match.group('after') or ''}"


def _numeric_date(match: re.Match[str], language: Language) -> str:
    """01.07.2023 or 2023-07-01 as a spoken date."""
    day, month, year_number = int(match.group("d")), int(match.group("m")), int(match.group("y"))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    case = RU_PREPOSITION_CASE.get(_previous_word(match), "n")
    return date(day, month, year_number, language, case=case)


def _named_date(match: re.Match[str], language: Language) -> str:
    """A date with a month name: "1 July 2023", "July 1, 2023", "1 июля", "1 шілдеде"."""
    day = int(match.group("d"))
    if not 1 <= day <= 31:
        return match.group(0)
    month = [name.lower() for name in MONTHS[language]].index(match.group("month").lower()) + 1
    year_text = match.group("y")
    year_number = int(year_text) if year_text else None
    ending = match.groupdict().get("ending") or ""
    if language is Language.EN and match.group(0)[0].isalpha():
        said = f"{MONTHS[language][month - 1]} {ordinal(day, language)}"
        return f"{said}, {year(year_number, language)}" if year_number else said
    case = RU_PREPOSITION_CASE.get(_previous_word(match), "n")
    return date(day, month, year_number, language, case=case) + ending


def _ru_year(match: re.Match[str], language: Language) -> str:
    """A Russian year with its noun: "в 2023 году" → "в две тысячи двадцать третьем году"."""
    preposition = _previous_word(match)
    case: Case
    if match.group("noun").lower() in RU_YEAR_CASE:
        case = RU_YEAR_CASE[match.group("noun").lower()]
        if case == "p" and preposition in ("к", "по"):
            case = "d"
    else:
        case = RU_YEAR_ABBREVIATION_CASE.get(preposition, "n")
    return f"{year(int(match.group('y')), language, case=case)} {RU_YEAR_NOUN[case]}"


def _kk_year(match: re.Match[str], language: Language) -> str:
    """A Kazakh year with its noun: "2023 жылы" → "екі мың жиырма үшінші жылы"."""
    noun = match.group("noun")
    return f"{year(int(match.group('y')), language)} {noun if noun.startswith('жыл') else 'жылы'}"


def _en_year(match: re.Match[str], language: Language) -> str:
    """An English year after "in", "since"...: "in 2023" → "in twenty twenty-three"."""
    return f"{match.group('before')}{year(int(match.group('y')), language)}"


def _time(match: re.Match[str], language: Language) -> str:
    """A time of day such as 09:05."""
    return clock_time(int(match.group("h")), int(match.group("min")), language)


def _ordinal(match: re.Match[str], language: Language) -> str:
    """A number with an ordinal ending: "1-й", "2nd", "3-ші", "1-топ", "112-ге"."""
    number, suffix = int(match.group("num")), match.group("suf")
    if language is Language.EN:
        return ordinal(number, language)
    if language is Language.RU:
        gender, case, plural = RU_ORDINAL_ENDINGS[suffix.lower()]
        return ordinal(number, language, gender=gender, case=case, plural=plural)
    if suffix in KK_ORDINAL_SUFFIXES:
        return ordinal(number, language)
    if suffix in KK_CASE_ENDINGS:
        return _glue(_say_number(match.group("num"), language), suffix)
    return f"{ordinal(number, language)} {suffix}"


def _group(match: re.Match[str], language: Language) -> str:
    """A disability group number: "1 группы" → "первой группы", "II топ" → "екінші топ"."""
    written, noun = match.group("num"), match.group("noun")
    number = ROMAN.get(written.upper()) or int(written)
    if language is Language.RU:
        case = RU_GROUP_CASE.get(noun.lower().removeprefix("групп"), "n")
        return f"{ordinal(number, language, gender='f', case=case)} {noun}"
    if language is Language.KK:
        return f"{ordinal(number, language)} {noun}"
    return f"{noun} {cardinal(number, language)}"


def _amount(match: re.Match[str], language: Language) -> str:
    """A number with a unit: "50%", "5 000 ₸", "3 млн тг"."""
    written, unit = match.group("num"), match.group("unit").lower().rstrip(".")
    word = UNITS[language].get(unit)
    if word is None:
        return match.group(0)
    if isinstance(word, str):
        return f"{_say_number(written, language, case=_number_case(match, language))} {word}"
    value = _value(written, language)
    gender: Gender = "f" if unit == "тыс" else "m"
    case = _number_case(match, language)
    said = _say_number(written, language, gender=gender, case=case)
    return f"{said} {russian_plural(value, *word, genitive=case == 'g')}"


def _prefixed_tenge(match: re.Match[str], language: Language) -> str:
    """An amount written with the sign first: "₸5000"."""
    word = UNITS[language]["₸"]
    return f"{_say_number(match.group('num'), language)} {word}"


def _minus(match: re.Match[str], language: Language) -> str:
    """A minus sign before a number."""
    return {Language.KK: "минус ", Language.RU: "минус ", Language.EN: "minus "}[language]


def _range(match: re.Match[str], language: Language) -> str:
    """A dash between two numbers, said as a pause."""
    return f"{match.group(1)} — "


def _plain_number(match: re.Match[str], language: Language) -> str:
    """Any other number; in Russian "1" and "2" agree with a feminine noun after them."""
    gender: Gender = "m"
    if language is Language.RU:
        after = match.string[match.end() : match.end() + 40].lstrip()
        if RU_FEMININE_NOUNS.match(after):
            gender = "f"
    case = _number_case(match, language)
    return _say_number(match.group("num"), language, gender=gender, case=case)


def _rules(language: Language) -> tuple[_Rule, ...]:
    """The patterns for a language, in the order they must be applied."""
    number = _NUMBER[language]
    months = "|".join(MONTHS[language])
    if language is Language.EN:
        months = f"(?-i:{months})"
    rules: list[tuple[str, Callable[[re.Match[str], Language], str]]] = [
        (
            r"(?<![\d+])(?:\+7|8)[\s-]?\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)",
            _phone,
        ),
        (
            rf"(?<![\d.,])(?P<before>)(?P<num>112)(?:-(?P<suf>{_L}+))?(?P<after>)(?![\d,]|\.\d)",
            _service_number,
        ),
        (
            rf"(?P<before>\b(?:номер\w*|телефон\w*|звоните|позвоните|звонить|call|dial|number|"
            rf"phone|нөмір\w*)\s+)(?P<num>\d{{3,6}})(?:-(?P<suf>{_L}+))?(?P<after>)(?![\d,]|\.\d)",
            _service_number,
        ),
        (
            rf"(?<![\d.,])(?P<before>)(?P<num>\d{{3,6}})(?:-(?P<suf>{_L}+))?"
            rf"(?P<after>\s+(?:нөмір\w*|хабарлас\w*|қоңырау\w*))",
            _service_number,
        ),
        (
            r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d])"
            rf"(?:\s*(?:(?:г|ж){ABBREVIATION_DOT}(?!{_L})|года\b|жылғы\b))?",
            _numeric_date,
        ),
        (r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])", _numeric_date),
        (r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:])", _time),
    ]
    if language is Language.EN:
        rules += [
            (
                rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{months})\b"
                rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
                _named_date,
            ),
            (
                rf"\b(?P<month>{months})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?",
                _named_date,
            ),
            (
                r"(?P<before>\b(?:in|since|from|until|till|by|before|after|year)\s+)"
                r"(?P<y>1[1-9]\d\d|20\d\d)\b(?![.,]\d)",
                _en_year,
            ),
            (r"\b(?P<num>\d+)(?P<suf>st|nd|rd|th)\b", _ordinal),
            (r"\b(?P<noun>group|category)\s+(?P<num>III|II|I|[1-3])\b", _group),
        ]
    elif language is Language.RU:
        rules += [
            (
                rf"(?<![\d.])(?P<d>\d{{1,2}})\s+(?P<month>{months})(?!{_L})"
                rf"(?:\s+(?P<y>\d{{4}})(?:\s*(?:г{ABBREVIATION_DOT}(?!{_L})|года\b))?)?",
                _named_date,
            ),
            (
                rf"(?<![\d.])(?P<y>\d{{4}})\s*(?P<noun>году|годом|года|год|гг?{ABBREVIATION_DOT})"
                rf"(?!{_L})",
                _ru_year,
            ),
            (
                rf"(?P<num>\b[1-3])-(?:ой|ая|ую|й|я|ю)\s+(?P<noun>групп(?:ой|а|ы|у|е))(?!{_L})",
                _group,
            ),
            (
                rf"(?P<num>\b\d+)-(?P<suf>{RU_ORDINAL_SUFFIX})(?!{_L})",
                _ordinal,
            ),
            (rf"\b(?P<num>III|II|I|[1-3])\s+(?P<noun>групп(?:ой|а|ы|у|е))(?!{_L})", _group),
        ]
    else:
        rules += [
            (
                rf"(?:(?P<y>\d{{4}})\s*(?:жылғы|ж\.)\s+)?(?<![\d.])(?P<d>\d{{1,2}})\s+"
                rf"(?P<month>{months})(?P<ending>{_L}*)",
                _named_date,
            ),
            (
                rf"(?<![\d.])(?P<y>\d{{4}})\s*(?P<noun>жыл{_L}*|ж{ABBREVIATION_DOT}(?!{_L}))",
                _kk_year,
            ),
            (rf"\b(?P<num>III|II|I|[1-3])\s+(?P<noun>топ{_L}*)", _group),
            (rf"(?P<num>\b\d+)\s?-\s?(?P<suf>{_L}+)", _ordinal),
        ]
    rules += [
        (rf"(?P<num>{number})\s?(?P<unit>{_UNIT})", _amount),
        (rf"₸\s?(?P<num>{number})", _prefixed_tenge),
        (r"(\d)\s*[-–—]\s*(?=\d)", _range),
        (r"(?<![\w.,)])[-−](?=\d)", _minus),
        (rf"(?P<num>{number})", _plain_number),
    ]
    return tuple((re.compile(pattern, re.IGNORECASE), rule) for pattern, rule in rules)


def _apply(
    rule: Callable[[re.Match[str], Language], str], language: Language
) -> Callable[[re.Match[str]], str]:
    """A replacement function for re.sub that says one match in language."""

    def replace(match: re.Match[str]) -> str:
        return rule(match, language)

    return replace


_RULES: Final = {language: _rules(language) for language in Language}


def say_numbers(text: str, language: Language) -> str:
    """Replace every number, date, time, amount and phone number in text with words."""
    for pattern, rule in _RULES[language]:
        text = pattern.sub(_apply(rule, language), text)
    return text
