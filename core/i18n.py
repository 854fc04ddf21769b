"""Interface strings in kk, ru and en, from gettext catalogs read with Babel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from core.profile import LANGUAGES, Language

CATALOG_DIR = Path(__file__).parent / "locales"
DOMAINS = ("messages", "console")
"""The bot's strings and the staff console's, each language in one file per domain."""


class MissingTranslation(KeyError):
    """A key has no text in a language's catalog."""


@dataclass(frozen=True, slots=True)
class Catalogs:
    """Every interface string, by language and key. Keys are stable ids such as `menu.title`."""

    texts: Mapping[Language, Mapping[str, str]]

    @classmethod
    def load(cls, directory: Path = CATALOG_DIR) -> Catalogs:
        """Read `<lang>/LC_MESSAGES/<domain>.po` for each language and domain."""
        texts: dict[Language, dict[str, str]] = {}
        for language in LANGUAGES:
            texts[language] = {}
            for domain in DOMAINS:
                path = directory / language.value / "LC_MESSAGES" / f"{domain}.po"
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=language.value)
                texts[language].update(
                    (str(message.id), str(message.string))
                    for message in catalog
                    if message.id and message.string and not message.fuzzy
                )
        return cls(texts)

    def text(self, language: Language, key: str, **params: object) -> str:
        """The text for `key` in `language`, with `{placeholders}` filled in."""
        try:
            template = self.texts[language][key]
        except KeyError:
            raise MissingTranslation(f"{key!r} has no {language.value} text") from None
        return template.format(**params) if params else template

    def keys(self, language: Language) -> frozenset[str]:
        """Every key that has a text in `language`."""
        return frozenset(self.texts[language])
