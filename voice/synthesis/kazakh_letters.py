"""Kazakh letters as the Russian voice can say them, for Kazakh words inside a text that Festival's
Russian voice (Debian's festvox-ru) speaks: a Kazakh address or place in a Russian answer
("Абай көшесі 10"), a Kazakh name, the bot's own name "Kömek".

The voice's letter-to-sound rules know the Russian alphabet only, so a Kazakh-only letter was
dropped and split its word: "Қарағанды" was read "ара анды", "көшесі" "к шес". Each of the nine
letters now becomes the Russian letter read closest to its sound. The sounds are the IPA values
of the Kazakh Cyrillic alphabet (Wikipedia, "Kazakh alphabets" and "Kazakh phonology"):

- қ /q/ → к, ғ /ʁ/ → г, ң /ŋ/ → н, һ /h/ → х: the nearest Russian consonant, and the letter the
  Russian spelling of Kazakh names uses (Қарағанды → Караганды, Қостанай → Костанай,
  Жаңаөзен → Жанаозен, Жиһаз → Жихаз).
- ұ /ʊ/ → у and і /ɪ/ → и: the same vowel, shorter and laxer (Ұлытау → Улытау, Тілек → Тилек).
- ә /æ/, ө /ø/, ү /ʏ/ are front vowels Russian lacks. After a consonant, Russian я, ё, ю are read
  as a soft consonant and a fronted [æ], [ɵ], [ʉ], the closest Russian has, and Kazakh makes a
  consonant before a front vowel soft too: "мәселе" → "мяселе", "көмек" → "кёмек", "түс" →
  "тюс". At a word's start or after a vowel я, ё, ю would add a [j] that is not there, so they
  are э, о, у ("әке" → "эке", "өзен" → "озен", "үй" → "уй").

The letters of the Kazakh Latin alphabet (2021) that are not English ones (ä ö ü ğ ñ ū ı ş) are
read as their Cyrillic twins first, so "Kömek" is "кёмек". Only the speech changes: the text
shown beside the voice keeps its letters.
"""

from __future__ import annotations

import re
from typing import Final

KAZAKH_ONLY: Final = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
"""Letters of the Kazakh Cyrillic alphabet that Russian does not have."""

_LATIN: Final = str.maketrans("äöüğñūışÄÖÜĞÑŪŞ", "әөүғңұышӘӨҮҒҢҰШ")
_PLAIN: Final = str.maketrans("ғқңұһіҒҚҢҰҺІ", "гкнухиГКНУХИ")
_FRONT: Final = {"ә": ("я", "э"), "ө": ("ё", "о"), "ү": ("ю", "у")}
"""A front vowel → (after a consonant, elsewhere)."""
_CONSONANTS: Final = "бвгғджзйкқлмнңпрстфхһцчшщbcdfghjklmnpqrstvwxz"
_FRONT_VOWEL: Final = re.compile(f"([{_CONSONANTS}])?([әөү])", re.IGNORECASE)


def _front(match: re.Match[str]) -> str:
    consonant, letter = match.group(1) or "", match.group(2)
    soft, hard = _FRONT[letter.lower()]
    russian = soft if consonant else hard
    return consonant + (russian.upper() if letter.isupper() else russian)


def as_russian_letters(text: str) -> str:
    """The text with every Kazakh-only letter (and Kazakh Latin letter) as the Russian letter
    read closest to it; everything else unchanged."""
    cyrillic = text.translate(_LATIN)
    return _FRONT_VOWEL.sub(_front, cyrillic).translate(_PLAIN)
