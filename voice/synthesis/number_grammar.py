"""Case, gender and unit tables that spoken numbers agree with in Kazakh, Russian and English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from core.profile import Language
from voice.synthesis.abbreviations import KK_CASE_SUFFIXES
from voice.synthesis.spoken_numbers import Case, Gender

KK_ORDINAL_SUFFIXES: Final = frozenset({"ші", "шы", "інші", "ыншы", "нші", "ншы"})
KK_CASE_ENDINGS: Final = frozenset(
    {ending for endings in KK_CASE_SUFFIXES.values() for ending in endings}
    | {"дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"}
)

RU_ORDINAL_ENDINGS: Final[Mapping[str, tuple[Gender, Case, bool]]] = {
    "й": ("m", "n", False), "ый": ("m", "n", False), "ий": ("m", "n", False),
    "ой": ("f", "g", False),
    "я": ("f", "n", False), "ая": ("f", "n", False),
    "е": ("n", "n", False), "ое": ("n", "n", False),
    "ые": ("m", "n", True),
    "го": ("m", "g", False), "ого": ("m", "g", False),
    "му": ("m", "d", False), "ому": ("m", "d", False),
    "м": ("m", "p", False), "ом": ("m", "p", False),
    "ым": ("m", "i", False),
    "ю": ("f", "a", False), "ую": ("f", "a", False),
    "х": ("m", "g", True), "ых": ("m", "g", True),
    "ми": ("m", "i", True), "ыми": ("m", "i", True),
}  # fmt: skip
"""Russian endings written after an ordinal: "1-й", "2-го", "90-х"."""
RU_ORDINAL_SUFFIX: Final = "|".join(sorted(RU_ORDINAL_ENDINGS, key=len, reverse=True))

RU_PREPOSITION_CASE: Final[Mapping[str, Case]] = {
    **dict.fromkeys(("с", "со", "до", "от", "после", "около", "из", "для", "кроме"), "g"),
    **dict.fromkeys(("к", "ко"), "d"),
    **dict.fromkeys(("в", "во", "на", "за", "про", "через", "по"), "a"),
}
"""The case a Russian preposition asks of the date after it."""

RU_GENITIVE_BEFORE: Final = frozenset(
    ("из", "до", "от", "с", "со", "около", "после", "без", "для", "кроме", "свыше", "более",
     "менее", "старше", "младше", "больше", "меньше")
)  # fmt: skip
"""Russian words that put a number after them in the genitive: "из трёх", "до восемнадцати"."""

RU_GROUP_CASE: Final[Mapping[str, Case]] = {"а": "n", "ы": "g", "у": "a", "е": "p", "ой": "i"}
RU_YEAR_CASE: Final[Mapping[str, Case]] = {"год": "n", "года": "g", "году": "p", "годом": "i"}
RU_YEAR_ABBREVIATION_CASE: Final[Mapping[str, Case]] = {
    **{word: case for word, case in RU_PREPOSITION_CASE.items() if case == "g"},
    **dict.fromkeys(("в", "во", "о", "об"), "p"),
    **dict.fromkeys(("к", "ко"), "d"),
}
"""The case of a year written "2023 г." from the preposition before it."""
RU_YEAR_NOUN: Final[Mapping[Case, str]] = {
    "n": "год", "g": "года", "d": "году", "a": "год", "i": "годом", "p": "году",
}  # fmt: skip

RU_FEMININE_NOUNS: Final = re.compile(
    r"(?:тысяч|минут|секунд|недел|ноч|поездк|заявк|услуг|смен|книг|копейк|строк|кнопк)\w*",
    re.IGNORECASE,
)
"""Russian nouns that make "1" and "2" before them feminine: "одна минута", "две недели"."""

ROMAN: Final = {"I": 1, "II": 2, "III": 3}

UNITS: Final[Mapping[Language, Mapping[str, str | tuple[str, str, str]]]] = {
    Language.KK: {
        "%": "пайыз", "₸": "теңге", "тг": "теңге", "теңге": "теңге", "тенге": "теңге",
        "kzt": "теңге", "млн": "миллион", "млрд": "миллиард",
    },
    Language.RU: {
        "%": ("процент", "процента", "процентов"), "₸": "тенге", "тг": "тенге",
        "тенге": "тенге", "теңге": "тенге", "kzt": "тенге",
        "тыс": ("тысяча", "тысячи", "тысяч"), "млн": ("миллион", "миллиона", "миллионов"),
        "млрд": ("миллиард", "миллиарда", "миллиардов"),
    },
    Language.EN: {
        "%": "percent", "₸": "tenge", "kzt": "tenge", "tenge": "tenge", "тг": "tenge",
        "тенге": "tenge", "теңге": "tenge",
    },
}  # fmt: skip
"""Units written after a number, with their spoken word (Russian: one, few, many)."""
