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


BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Marks and overrides that change the order text is shown in (U+202E turns "exe.txt" into
"txt.exe"): never needed in our languages' texts, so removed where text comes in."""
_NO_BIDI = str.maketrans("", "", BIDI_CONTROLS)


def without_bidi_controls(text: str) -> str:
    """The text without bidirectional control characters."""
    return text.translate(_NO_BIDI)
