"""The language the command line speaks to staff: `--lang`, else KOMEK_STAFF_LANGUAGE, else the
locale, else English.

The domain's messages (`core.said.Said`: the CAP validator's refusals, approval, the list
import, GeoJSON) are said from the same catalogs as the console, so a member of staff reads
the same sentence in the terminal as on the console's page. Text that carries no catalog key
is printed as it came.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

import typer
from pydantic_settings import BaseSettings

from core.i18n import Catalogs
from core.profile import LANGUAGES, Language
from core.said import Said, catalogs
from core.settings import Settings

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale says the language of messages, the first one set deciding (POSIX)."""

LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="kk, ru or en: the language of messages. Default: KOMEK_STAFF_LANGUAGE, "
        "else the locale (LC_ALL, LC_MESSAGES, LANG), else English.",
        show_default=False,
    ),
]


def from_locale(environ: Mapping[str, str]) -> Language | None:
    """kk, ru or en from the first locale variable set (`ru_RU.UTF-8` → ru); None for another
    language or the plain C locale."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            return next((language for language in LANGUAGES if language.value == code), None)
    return None


def choose(
    option: Language | None, setting: Language | None, environ: Mapping[str, str]
) -> Language:
    """The option, else the setting, else the locale, else English."""
    return option or setting or from_locale(environ) or Language.EN


@dataclass(frozen=True)
class StaffWords:
    """Messages to the member of staff at the terminal, in their language."""

    language: Language
    catalogs: Catalogs

    def said(self, text: str) -> str:
        """A domain message in this language when it carries its key, else as it came."""
        if isinstance(text, Said):
            return text.said_in(self.catalogs, self.language)
        return text

    def __call__(self, key: str, **params: object) -> str:
        """The command line's own text `key` (`cli.…` in console.po), its `Said` values said."""
        return self.said(Said(key, **params))

    def key_or(self, key: str, fallback: str) -> str:
        """The text of `key`, or `fallback` when the catalogs have no such key (a channel or
        state added without words yet)."""
        return self(key) if key in self.catalogs.texts[self.language] else fallback


def staff_words(option: Language | None, settings: Settings | None = None) -> StaffWords:
    """The words for this run. KOMEK_STAFF_LANGUAGE is read only when `--lang` is not given:
    from `settings` when the command has them, else alone (so `cap-check` stays light)."""
    setting = None
    if option is None:
        setting = (settings or _StaffSetting()).staff_language
    return StaffWords(choose(option, setting, os.environ), catalogs())


class _StaffSetting(BaseSettings):
    """KOMEK_STAFF_LANGUAGE alone, read from the environment and `.env` as `Settings` reads it,
    without checking (and loading what checks) every other setting."""

    model_config = Settings.model_config
    staff_language: Language | None = Settings.model_fields["staff_language"].default
