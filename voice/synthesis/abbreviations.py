"""Abbreviations said in full, with Russian and Kazakh case endings carried over."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Final

from core.profile import Language

KK_CASE_SUFFIXES: Final[Mapping[str, tuple[str, ...]]] = {
    "dative": ("ға", "ге", "қа", "ке", "на", "не", "а", "е"),
    "locative": ("да", "де", "та", "те", "нда", "нде"),
    "ablative": ("дан", "ден", "тан", "тен", "нан", "нен"),
    "genitive": ("ның", "нің", "дың", "дің", "тың", "тің"),
    "accusative": ("ны", "ні", "ды", "ді", "ты", "ті", "н"),
    "instrumental": ("мен", "бен", "пен", "менен"),
}
"""Kazakh case endings written after an abbreviation and a hyphen: "МӘС-ке", "ХҚКО-да"."""

_KK_CASE_OF: Final = {
    suffix: case for case, endings in KK_CASE_SUFFIXES.items() for suffix in endings
}

_RU_CASE_ENDINGS: Final = {"а": "g", "у": "d", "е": "p", "ом": "i", "ы": "pl", "ов": "gpl"}
"""Russian endings written straight after an abbreviation: "в ЦОНе", "из ЦОНа"."""


@dataclass(frozen=True, kw_only=True)
class Abbreviation:
    """One thing known by abbreviations, with how each language says it in full."""

    forms: tuple[str, ...]
    full: Mapping[Language, str]
    kk_cases: Mapping[str, str]
    """Kazakh full forms by case name; the nominative is in `full`."""
    ru_cases: Mapping[str, str]
    """Russian full forms by ending key (see _RU_CASE_ENDINGS); nominative is in `full`."""
    case_sensitive: bool = True


ABBREVIATIONS: Final = (
    Abbreviation(
        forms=("МСЭ", "МӘС", "MSE"),
        full={
            Language.KK: "медициналық-әлеуметтік сараптама",
            Language.RU: "медико-социальная экспертиза",
            Language.EN: "medical and social assessment",
        },
        kk_cases={
            "dative": "медициналық-әлеуметтік сараптамаға",
            "locative": "медициналық-әлеуметтік сараптамада",
            "ablative": "медициналық-әлеуметтік сараптамадан",
            "genitive": "медициналық-әлеуметтік сараптаманың",
            "accusative": "медициналық-әлеуметтік сараптаманы",
            "instrumental": "медициналық-әлеуметтік сараптамамен",
        },
        ru_cases={},
    ),
    Abbreviation(
        forms=("ЦОН", "ХҚКО"),
        full={
            Language.KK: "халыққа қызмет көрсету орталығы",
            Language.RU: "центр обслуживания населения",
            Language.EN: "public service centre",
        },
        kk_cases={
            "dative": "халыққа қызмет көрсету орталығына",
            "locative": "халыққа қызмет көрсету орталығында",
            "ablative": "халыққа қызмет көрсету орталығынан",
            "genitive": "халыққа қызмет көрсету орталығының",
            "accusative": "халыққа қызмет көрсету орталығын",
            "instrumental": "халыққа қызмет көрсету орталығымен",
        },
        ru_cases={
            "g": "центра обслуживания населения",
            "d": "центру обслуживания населения",
            "p": "центре обслуживания населения",
            "i": "центром обслуживания населения",
            "pl": "центры обслуживания населения",
            "gpl": "центров обслуживания населения",
        },
    ),
    Abbreviation(
        forms=("eGov", "e-gov"),
        full={Language.KK: "и-гов", Language.RU: "и-гов", Language.EN: "e-gov"},
        kk_cases={},
        ru_cases={},
        case_sensitive=False,
    ),
)

_LETTER: Final = r"[^\W\d_]"

_SHORT_FORMS: Final[Mapping[Language, tuple[tuple[str, str], ...]]] = {
    Language.KK: (
        (r"\bт\.\s?б\.", "тағы басқа"),
        (r"\bт\.\s?с\.\s?с\.", "тағы сол сияқты"),
        (r"\bобл\.", "облысы"),
        (r"\bтел\.", "телефон"),
        (r"(?<=\w)\s+қ\.", " қаласы"),
        (r"\bмлн\b\.?", "миллион"),
        (r"\bмлрд\b\.?", "миллиард"),
    ),
    Language.RU: (
        (r"\bт\.\s?е\.", "то есть"),
        (r"\bт\.\s?д\.", "так далее"),
        (r"\bт\.\s?п\.", "тому подобное"),
        (r"\bобл\.", "область"),
        (r"\bтел\.", "телефон"),
        (r"\bул\.", "улица"),
        (r"(?<!\d)(?<!\d\s)\bг\.\s*(?=[А-ЯЁ])", "город "),
    ),
    Language.EN: (
        (r"\be\.\s?g\.", "for example"),
        (r"\bi\.\s?e\.", "that is"),
        (r"\betc\.", "et cetera"),
        (r"\btel\.", "phone"),
    ),
}
"""Dotted short forms said in full, per language."""


def _pattern(abbreviation: Abbreviation) -> re.Pattern[str]:
    """A pattern for any form of the abbreviation with a Russian or Kazakh ending after it."""
    forms = "|".join(re.escape(form) for form in abbreviation.forms)
    flags = 0 if abbreviation.case_sensitive else re.IGNORECASE
    return re.compile(
        rf"(?<!{_LETTER})(?:{forms})(?:-(?P<kk>{_LETTER}+)|(?P<ru>{_LETTER}{{1,2}}))?(?!{_LETTER})",
        flags,
    )


_PATTERNS: Final = tuple((abbreviation, _pattern(abbreviation)) for abbreviation in ABBREVIATIONS)

_DEFINITION: Final = re.compile(r"\s*\((?![IVX]+\))[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2,6}\)")
"""An abbreviation in brackets right after its full name, as in "сараптама (МӘС)"."""


def _say(abbreviation: Abbreviation, match: re.Match[str], language: Language) -> str:
    """The full form for one match, in the case its ending shows."""
    kk_ending, ru_ending = match.group("kk"), match.group("ru")
    if kk_ending is not None:
        case = _KK_CASE_OF.get(kk_ending.lower())
        if language is Language.KK and case is not None and case in abbreviation.kk_cases:
            return abbreviation.kk_cases[case]
        return f"{abbreviation.full[language]}-{kk_ending}"
    if ru_ending is not None:
        key = _RU_CASE_ENDINGS.get(ru_ending.lower())
        if key is None:
            return match.group(0)
        if language is Language.RU and key in abbreviation.ru_cases:
            return abbreviation.ru_cases[key]
    return abbreviation.full[language]


def expand_abbreviations(text: str, language: Language) -> str:
    """Say known abbreviations in full and drop bracketed ones that only repeat a name."""
    text = _DEFINITION.sub("", text)
    for abbreviation, pattern in _PATTERNS:
        text = pattern.sub(partial(_say, abbreviation, language=language), text)
    for short, full in _SHORT_FORMS[language]:
        text = re.sub(short, full, text)
    return text
