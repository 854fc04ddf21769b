"""Spelling tolerance: known phrases found in a message even with a letter or two wrong.

People type fast, on small screens, in a second language; speech transcripts misspell too.
"sign langage intepreter", "сурдопереводчка" and "сурдоадармашыға" still name a service.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

Meaning = TypeVar("Meaning")

SHORTEST_WITH_ONE_SLIP = 5
"""Shorter words must be typed exactly: "sign" and "sing", "taxi" and "tax" mean other things."""
SHORTEST_WITH_TWO_SLIPS = 9


def slips_allowed(word: str) -> int:
    """How many letters may be wrong, missing, extra or swapped in a word of this length."""
    if len(word) >= SHORTEST_WITH_TWO_SLIPS:
        return 2
    return 1 if len(word) >= SHORTEST_WITH_ONE_SLIP else 0


def near(typed: str, known: str) -> bool:
    """The typed word is the known word, or a slip of it for words long enough to tell."""
    if typed == known:
        return True
    slips = min(slips_allowed(typed), slips_allowed(known))
    if slips == 0 or abs(len(typed) - len(known)) > slips:
        return False
    return DamerauLevenshtein.distance(typed, known, score_cutoff=slips) <= slips


class PhraseFinder(Generic[Meaning]):
    """Finds the first of some phrases (folded: lower case, plain letters) in a folded text,
    word by word, each word exact or nearly so. Phrases are tried in the order given."""

    def __init__(self, phrases: Iterable[tuple[str, Meaning]]) -> None:
        self._phrases = [(phrase.split(), meaning) for phrase, meaning in phrases if phrase]
        self._vocabulary = sorted({word for words, _ in self._phrases for word in words})
        self._starting: dict[str, list[int]] = {}
        for index, (words, _) in enumerate(self._phrases):
            self._starting.setdefault(words[0], []).append(index)

    def find(self, text: str) -> tuple[str, Meaning] | None:
        """The phrase found (as known, not as typed) and its meaning; the earliest phrase
        given when several are there."""
        words = text.split()
        readings = {word: self._readings(word) for word in set(words)}
        best: int | None = None
        for start, word in enumerate(words):
            for reading in readings[word]:
                for index in self._starting.get(reading, ()):
                    phrase = self._phrases[index][0]
                    if (best is not None and index >= best) or start + len(phrase) > len(words):
                        continue
                    if all(phrase[i] in readings[words[start + i]] for i in range(len(phrase))):
                        best = index
        if best is None:
            return None
        phrase, meaning = self._phrases[best]
        return " ".join(phrase), meaning

    def _readings(self, word: str) -> frozenset[str]:
        """The known words this typed word may be."""
        if slips_allowed(word) == 0:
            return frozenset({word})
        candidates = process.extract(
            word,
            self._vocabulary,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=slips_allowed(word),
            limit=None,
        )
        return frozenset({word, *(known for known, _, _ in candidates if near(word, known))})
