"""The console's language for a request: the account's choice, else the browser's, else English.

The interface language is the member of staff's own; an alert's texts keep their languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from markupsafe import Markup

from alerts.registry.regions import by_code
from core.i18n import Catalogs
from core.localtime import LOCAL_ZONE, to_local
from core.profile import LANGUAGES, Language
from core.said import Said

FALLBACK = Language.EN
CONSOLE_WORDING = "console."
"""The console's own variant of a domain message, where the catalog has one (core.said)."""
DATE_TIME = {Language.EN: "yyyy-MM-dd HH:mm", Language.RU: "dd.MM.yyyy HH:mm"}
"""How a date and time is written; Kazakh writes them as Russian does (07.12.2026 06:05)."""


def from_accept_language(header: str | None) -> Language | None:
    """The first of kk, ru, en the browser asks for, by its q-values (`ru-KZ,ru;q=0.9`)."""
    if not header:
        return None
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        known = next((lang for lang in LANGUAGES if lang.value == primary), None)
        if known is not None and weight > 0:
            ranked.append((-weight, position, known))
    return min(ranked)[2] if ranked else None


def language_of(request: Request) -> Language:
    """The account's chosen language, else the browser's first known one, else English."""
    staff = getattr(request.state, "staff", None)
    chosen = getattr(staff, "language", None)
    if chosen in {lang.value for lang in LANGUAGES}:
        return Language(chosen)
    return from_accept_language(request.headers.get("accept-language")) or FALLBACK


@dataclass(frozen=True)
class Words:
    """The console's texts, numbers and times in one language: `words("console.key")`."""

    catalogs: Catalogs
    language: Language

    def __call__(self, key: str, **params: object) -> str:
        return self.catalogs.text(self.language, key, **params)

    def number(self, value: float) -> str:
        """1,234 in English; 1 234 in Kazakh and Russian."""
        return str(format_decimal(value, locale=self.language.value))

    def when(
        self, value: datetime | None, *, time_only: bool = False, seconds: bool = False
    ) -> str:
        """A stored UTC time as Kazakhstan's local time, in the language's usual form."""
        if value is None:
            return ""
        pattern = "HH:mm" if time_only else DATE_TIME.get(self.language, DATE_TIME[Language.RU])
        if seconds:
            pattern += ":ss"
        return str(
            format_datetime(to_local(value), pattern, tzinfo=LOCAL_ZONE, locale=self.language.value)
        )

    def region(self, code: str) -> str:
        """A region's name by its KATO code (the code itself when unknown)."""
        found = by_code(code)
        return found.name(self.language) if found else code

    def said(self, text: str) -> Markup:
        """A message from the domain: in this language when it carries its catalog key
        (core.said.Said), else as it came, marked as English for screen readers."""
        if isinstance(text, Said):
            return Markup("{}").format(self.said_text(text))
        return in_english(text)

    def plain(self, text: str) -> str:
        """A domain message as plain text: in this language when it carries its key (`Said`),
        else as it came."""
        return self.said_text(text) if isinstance(text, Said) else text

    def said_text(self, text: Said) -> str:
        """A `Said` message as plain text in this language, in the console's wording."""
        return text.said_in(self.catalogs, self.language, CONSOLE_WORDING)

    def sentence(self, text: str) -> Markup:
        """A domain message on its own, as a sentence: a capital first letter, a full stop
        (English without a key stays marked as English, as `said` does)."""
        shown = self.said_text(text) if isinstance(text, Said) else text
        shown = shown[:1].upper() + shown[1:]
        if shown and shown[-1] not in ".!?":
            shown += "."
        return Markup("{}").format(shown) if isinstance(text, Said) else in_english(shown)

    def day(self, value: date, pattern: str = "dd.MM.yyyy") -> str:
        """A calendar day (`EEE dd.MM` for a short weekday and day)."""
        return str(format_date(value, pattern, locale=self.language.value))


def words_for(request: Request) -> Words:
    """The words of the request's language, from the console's catalogs."""
    catalogs: Catalogs = request.app.state.context.catalogs
    return Words(catalogs, language_of(request))


def in_english(text: str) -> Markup:
    """A message from the domain, which speaks English: marked so, for screen readers and the
    page's language checks, inside a page in another language."""
    return Markup('<span lang="en">{}</span>').format(text)
