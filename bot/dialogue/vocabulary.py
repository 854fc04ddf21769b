"""Typed and spoken words for commands, answers, numbers and choices, in kk, ru and en."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.profile import Language

WORDS_FILE = Path(__file__).with_name("words.toml")

_KAZAKH_FOLD = str.maketrans("әқұүғөңіһё", "акуугонихе")
_NOT_WORD = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"[\s-]+")
_CONJUNCTIONS = frozenset({"and", "и", "жане"})


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces, Kazakh letters folded to their plain forms."""
    folded = text.lower().translate(_KAZAKH_FOLD)
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Phrase tables: category → normalised phrase → meaning, with the phrase's language."""

    tables: Mapping[str, Mapping[str, tuple[str, Language | None]]]

    @classmethod
    def load(cls, path: Path = WORDS_FILE) -> Vocabulary:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        tables: dict[str, dict[str, tuple[str, Language | None]]] = {}
        for category in (
            "commands",
            "answers",
            "languages",
            "modes",
            "kinds",
            "corrections",
            "greetings",
        ):
            table = tables.setdefault(category, {})
            for meaning, by_language in raw[category].items():
                for code, phrases in by_language.items():
                    language = None if code == "any" else Language(code)
                    for phrase in phrases:
                        key = normalise(phrase)
                        known = table.setdefault(key, (meaning, language))
                        if known[1] is not language:  # the same word in two languages
                            table[key] = (known[0], None)
        numbers = tables.setdefault("numbers", {})
        for category in ("numbers", "ordinals"):
            for code, words in raw[category].items():
                for index, word in enumerate(words, start=1):
                    numbers.setdefault(normalise(word), (str(index), Language(code)))
        return cls(tables)

    def meaning(self, category: str, text: str) -> str | None:
        """What the whole message means in a category ('commands', 'answers', ...), if anything."""
        found = self.tables[category].get(normalise(text))
        return found[0] if found else None

    def mentions(self, category: str, text: str) -> str | None:
        """What a phrase found anywhere in the message means (whole words), if any."""
        words = f" {normalise(text)} "
        for phrase, (meaning, _) in self.tables[category].items():
            if f" {phrase} " in words:
                return meaning
        return None

    def after_leading(self, category: str, text: str, longest: int = 4) -> str | None:
        """The rest of the message after the phrases of `category` that start it ("Hi, I have
        a question…" → "I have a question…"); None when none starts it or nothing follows."""
        rest = None
        words = text.split()
        while words:  # "Hello, good day, Kömek, …": one phrase after another
            for size in range(min(longest, len(words)), 0, -1):
                if normalise(" ".join(words[:size])) in self.tables[category]:
                    words = " ".join(words[size:]).lstrip(" ,.!?;:-—").split()
                    rest = " ".join(words)
                    break
            else:
                break
        return rest if rest and normalise(rest) else None

    def number(self, text: str) -> int | None:
        """A number typed as digits ("2") or as a word ("two", "екі", "два")."""
        words = normalise(text)
        if words.isdigit():
            return int(words)
        found = self.tables["numbers"].get(words)
        return int(found[0]) if found else None

    def numbers(self, text: str) -> list[int] | None:
        """Several numbers, as in "1 3" or "бір, үш"; None when anything else is there."""
        words = normalise(text.replace(",", " ")).split()
        values = [self.number(word) for word in words if word not in _CONJUNCTIONS]
        if not values or any(value is None for value in values):
            return None
        return [value for value in values if value is not None]

    def language_of(self, category: str, text: str) -> Language | None:
        """The language a matched phrase belongs to (None for phrases of several languages)."""
        found = self.tables[category].get(normalise(text))
        return found[1] if found else None
