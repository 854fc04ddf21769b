"""Plain-language measures: Flesch (en), Flesch–Oborneva (ru), sentence length (kk)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.profile import Language

_SENTENCE_END = re.compile(r"[.!?…]+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_RU_VOWELS = set("аеёиоуыэюя")
_EN_VOWEL_GROUPS = re.compile(r"[aeiouy]+")

MIN_FLESCH = 60.0
"""English Flesch Reading Ease and Russian Flesch–Oborneva at least this (DESIGN.md rule 7)."""
MAX_KAZAKH_SENTENCE_WORDS = 15


@dataclass(frozen=True, slots=True)
class Readability:
    """Counts behind the readability scores of one text: sentences, words, syllables."""

    sentences: int
    words: int
    syllables: int
    longest_sentence: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0


def english_syllables(word: str) -> int:
    """Vowel groups, less a silent final e: a standard estimate for Flesch scores."""
    word = word.lower()
    count = len(_EN_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def vowel_syllables(word: str) -> int:
    """Russian and Kazakh: one syllable per vowel."""
    vowels = _RU_VOWELS | set("әөұүіə")
    return max(sum(1 for ch in word.lower() if ch in vowels), 1)


def measure(text: str, language: Language) -> Readability:
    text = _PLACEHOLDER.sub("", text)
    syllables_of = english_syllables if language is Language.EN else vowel_syllables
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    lengths = [len(_WORD.findall(s)) for s in sentences]
    words = [w for s in sentences for w in _WORD.findall(s)]
    return Readability(
        sentences=len(sentences),
        words=len(words),
        syllables=sum(syllables_of(w) for w in words),
        longest_sentence=max(lengths, default=0),
    )


def flesch(text: str, language: Language) -> float:
    """Flesch Reading Ease (en) or the Flesch–Oborneva adaptation (ru): higher is plainer."""
    m = measure(text, language)
    if not m.words:
        return 100.0
    if language is Language.RU:
        return 206.835 - 1.3 * m.words_per_sentence - 60.1 * m.syllables_per_word
    return 206.835 - 1.015 * m.words_per_sentence - 84.6 * m.syllables_per_word


def plain_enough(text: str, language: Language) -> bool:
    """Whether a text meets DESIGN.md rule 7 for its language."""
    if language is Language.KK:
        return measure(text, language).longest_sentence <= MAX_KAZAKH_SENTENCE_WORDS
    return flesch(text, language) >= MIN_FLESCH
