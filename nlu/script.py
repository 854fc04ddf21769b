"""Kazakh typed in Latin letters, read in Cyrillic, so one set of Kazakh patterns serves both.

People write Kazakh in the 2021 Latin alphabet ("men qauipsizbin"), in informal Latin
("komek kerek"), or in Cyrillic without the special letters. The result is folded the same
way as `core.text.fold`, so "қауіпсіз", "кауипсиз" and "qauipsiz" all read "кауипсиз".
"""

from __future__ import annotations

import re

from core.profile import Language
from core.text import fold

_PAIRS = (("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ng", "н"), ("ts", "ц"))
_SINGLE = str.maketrans(
    {
        "a": "а", "ä": "а", "á": "а", "ә": "а", "b": "б", "c": "с", "d": "д", "e": "е",
        "f": "ф", "g": "г", "ǵ": "г", "ğ": "г", "h": "х", "i": "и", "ı": "ы", "j": "ж",
        "k": "к", "q": "к", "l": "л", "m": "м", "n": "н", "ń": "н", "ñ": "н", "o": "о",
        "ó": "о", "ö": "о", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у",
        "ú": "у", "ü": "у", "ū": "у", "v": "в", "w": "у", "x": "х", "ý": "у", "z": "з",
    }
)  # fmt: skip
_Y_AFTER_VOWEL = re.compile(r"(?<=[aeouáäóöúü])y")
_I_AFTER_VOWEL = re.compile(r"(?<=[aeoáäóöüyı])i(?![aeiouáäóöúüyı])")
"""An "i" after a vowel and before no vowel is "й" ("aita" айта, "almaimyn" алмаймын, "üi" үй):
Kazakh puts no "і" there, and both the 2021 alphabet and everyday Latin write "й" as "i"."""
_LATIN = re.compile(r"[a-zäáǵğıńñóöşúüūý]")
_CYRILLIC = re.compile(r"[а-яё]")


def mostly_latin(text: str) -> bool:
    """True when the letters of the text are mostly Latin."""
    lowered = text.lower()
    return len(_LATIN.findall(lowered)) > len(_CYRILLIC.findall(lowered))


def spelled_in_cyrillic(text: str) -> str:
    """Latin letters spelled in Cyrillic, as Kazakh, punctuation kept ("qauipsiz, biraq")."""
    lowered = _I_AFTER_VOWEL.sub("й", _Y_AFTER_VOWEL.sub("й", text.lower()))
    for latin, cyrillic in _PAIRS:
        lowered = lowered.replace(latin, cyrillic)
    return lowered.replace("y", "ы").translate(_SINGLE)


def latin_to_cyrillic(text: str) -> str:
    """Latin letters spelled in Cyrillic, as Kazakh, then folded ("qauipsiz" → "кауипсиз")."""
    return fold(spelled_in_cyrillic(text))


def for_the_model(text: str, language: Language) -> str:
    """What the intent model reads: Kazakh in Latin letters also in Cyrillic.

    Most training examples are Cyrillic Kazakh; written beside the Latin one, they lend their
    words to it ("jyldamyraq" reads "жылдамырак" as well). Other text is left as it is.
    """
    if language is Language.KK and mostly_latin(text):
        return f"{text} {latin_to_cyrillic(text)}"
    return text
