"""Amounts the law gives as a multiple of another figure: a benefit of 2.2 subsistence minimums.

The multiple and the base are facts (facts.yml); the amount is computed here, once, so a new
subsistence minimum changes every amount. The exact product is rounded UP to the whole tenge:
the Ministry of Labour's published 2026 figures for 1.76 and 1.2 subsistence minimums (89,498
and 61,022 tenge from 89,497.76 and 61,021.2) are rounded that way, and nobody is told less
than the law gives.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from core.profile import LANGUAGES, Language

_THOUSANDS = {Language.KK: "\u00a0", Language.RU: "\u00a0", Language.EN: ","}
_DECIMAL_POINT = {Language.KK: ",", Language.RU: ",", Language.EN: "."}


def multiple_of(multiple: float | int | str, base: float | int | str) -> int:
    """`multiple` × `base` in whole units (tenge), rounded up; ValueError for a negative."""
    exact = Decimal(str(multiple)) * Decimal(str(base))
    if exact < 0:
        raise ValueError(f"{multiple} × {base} is negative")
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def written(value: float | int, language: Language) -> str:
    """A number as people write it: 111 873 and 2,2 in kk and ru; 111,873 and 2.2 in en."""
    whole, _, fraction = f"{Decimal(str(value)):f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    text = sign + _THOUSANDS[language].join(groups)
    return f"{text}{_DECIMAL_POINT[language]}{fraction}" if fraction else text


def written_in_each(value: float | int) -> dict[Language, str]:
    """`written` in kk, ru and en."""
    return {language: written(value, language) for language in LANGUAGES}
