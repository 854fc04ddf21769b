"""Text normalisation shared by every package that matches what people type or say."""

from __future__ import annotations

import re

_KAZAKH_FOLD = str.maketrans("әқұүғөңіһё", "акуугонихе")
_NOT_WORD = re.compile(r"[^\w\s+]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, punctuation removed, Kazakh letters folded: 'Қайда?' and 'кайда' are equal.

    People type Kazakh without its special letters and speech transcripts come without
    punctuation, so every message is compared the same way.
    """
    folded = text.lower().translate(_KAZAKH_FOLD)
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()
