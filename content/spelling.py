"""Spelling: Hunspell dictionaries for kk, ru and en (read by spylls) and reviewed allow-lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol, cast

from spylls.hunspell import Dictionary  # type: ignore[import-untyped]

from content.facts import CONTENT_DIR
from core.profile import LANGUAGES, Language

HUNSPELL_DIRS: tuple[Path, ...] = (
    Path("/usr/share/hunspell"),
    Path("/usr/share/myspell/dicts"),
    Path("/usr/share/myspell"),
)
DICTIONARIES: Mapping[Language, tuple[str, ...]] = {
    Language.KK: ("kk_KZ",),
    Language.RU: ("ru_RU",),
    Language.EN: ("en_GB", "en_US"),
}
"""The dictionaries of each language; a word is right when any of them knows it."""
DEBIAN_PACKAGES: Mapping[str, str] = {
    "kk_KZ": "hunspell-kk",
    "ru_RU": "hunspell-ru",
    "en_GB": "hunspell-en-gb",
    "en_US": "hunspell-en-us",
}
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")


class WordList(Protocol):
    """What the speller needs from a dictionary."""

    def lookup(self, word: str) -> bool:
        """Whether the word is spelt right."""
        ...


class _Hunspell:
    """A Hunspell dictionary read by spylls."""

    def __init__(self, stem: Path) -> None:
        self._dictionary = Dictionary.from_files(str(stem))

    def lookup(self, word: str) -> bool:
        """Whether Hunspell knows the word (in any capitalisation it allows)."""
        return cast(bool, self._dictionary.lookup(word))


@cache
def _open(stem: Path) -> _Hunspell:
    """A dictionary, read once per process (reading one takes about a second)."""
    return _Hunspell(stem)


def find_dictionary(name: str, search: Sequence[Path] = HUNSPELL_DIRS) -> Path | None:
    """The path stem (without .dic/.aff) of an installed Hunspell dictionary, or None."""
    for folder in search:
        stem = folder / name
        if stem.with_suffix(".dic").is_file() and stem.with_suffix(".aff").is_file():
            return stem
    return None


@dataclass(frozen=True)
class AllowList:
    """Reviewed names and terms: whole words, 'stem*' for every ending, '-suffix' after a hyphen."""

    words: frozenset[str] = frozenset()
    stems: tuple[str, ...] = ()
    suffixes: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, lines: Iterable[str]) -> AllowList:
        """Entries one a line; '#' starts a comment."""
        words, stems, suffixes = set(), set(), set()
        for raw in lines:
            entry = raw.split("#", 1)[0].strip().replace("’", "'").casefold()
            if entry.endswith("*") and len(entry) > 1:
                stems.add(entry[:-1])
            elif entry.startswith("-") and len(entry) > 1:
                suffixes.add(entry[1:])
            elif entry:
                words.add(entry)
        return cls(frozenset(words), tuple(sorted(stems)), frozenset(suffixes))

    @classmethod
    def read(cls, *paths: Path) -> AllowList:
        """The entries of every file that exists."""
        lines: list[str] = []
        for path in paths:
            if path.is_file():
                lines += path.read_text(encoding="utf-8").splitlines()
        return cls.parse(lines)

    def allows(self, word: str) -> bool:
        """Whether the word is on the list, as a word or by its stem."""
        word = word.replace("’", "'").casefold()
        return word in self.words or word.startswith(self.stems)

    def allows_suffix(self, suffix: str) -> bool:
        """Whether a part after a hyphen is a listed suffix (Kazakh 'SMS-ті', '112-ге')."""
        return suffix.casefold() in self.suffixes


@dataclass(frozen=True)
class Speller:
    """Finds the words of a text that neither the dictionaries nor the allow-list know."""

    dictionaries: Mapping[Language, Sequence[WordList]] = field(default_factory=dict)
    allowed: Mapping[Language, AllowList] = field(default_factory=dict)
    missing: Mapping[Language, str] = field(default_factory=dict)
    """Why a language cannot be checked (a dictionary is not installed)."""

    @classmethod
    def load(
        cls, allowlist_dir: Path = CONTENT_DIR, search: Sequence[Path] = HUNSPELL_DIRS
    ) -> Speller:
        """System dictionaries and allowlist.txt plus allowlist/<language>.txt from a folder."""
        dictionaries: dict[Language, list[WordList]] = {}
        missing: dict[Language, str] = {}
        for language in LANGUAGES:
            stems = {name: find_dictionary(name, search) for name in DICTIONARIES[language]}
            absent = [name for name, stem in stems.items() if stem is None]
            if absent:
                packages = " ".join(DEBIAN_PACKAGES.get(name, name) for name in absent)
                where = ", ".join(str(folder) for folder in search)
                missing[language] = (
                    f"no Hunspell dictionary {', '.join(absent)} in {where} "
                    f"(Debian: apt-get install {packages})"
                )
                continue
            dictionaries[language] = [_open(stem) for stem in stems.values() if stem]
        common = allowlist_dir / "allowlist.txt"
        allowed = {
            lang: AllowList.read(common, allowlist_dir / "allowlist" / f"{lang.value}.txt")
            for lang in LANGUAGES
        }
        return cls(dictionaries, allowed, missing)

    @classmethod
    def disabled(cls) -> Speller:
        """A speller that checks nothing, reporting every language as not checked."""
        return cls(missing=dict.fromkeys(LANGUAGES, "turned off"))

    def checks(self, language: Language) -> bool:
        """Whether this language has its dictionaries."""
        return language in self.dictionaries and language not in self.missing

    def unknown_words(self, text: str, language: Language) -> list[str]:
        """The words of a text that are misspelt or unknown, each once, in order."""
        if not self.checks(language):
            return []
        unknown: list[str] = []
        for word in _WORD.findall(text):
            if word not in unknown and not self._knows_token(word, language):
                unknown.append(word)
        return unknown

    def _knows_token(self, token: str, language: Language) -> bool:
        """A word, a number, or hyphenated parts each known (or a listed suffix)."""
        if not _LETTER.search(token) or self._knows(token, language):
            return True
        first, *rest = token.split("-")
        if not rest:
            return False
        allowed = self.allowed.get(language, AllowList())
        return (first.isdigit() or self._knows(first, language)) and all(
            part.isdigit() or allowed.allows_suffix(part) or self._knows(part, language)
            for part in rest
        )

    def _knows(self, word: str, language: Language) -> bool:
        """Whether the allow-list or a dictionary knows one word."""
        if self.allowed.get(language, AllowList()).allows(word):
            return True
        word = word.replace("’", "'")
        languages = [language]
        if language is not Language.EN and _LATIN.search(word):
            languages.append(Language.EN)  # Latin-script terms in kk and ru text: "eGov", "SMS"
        return any(d.lookup(word) for lang in languages for d in self.dictionaries.get(lang, ()))
