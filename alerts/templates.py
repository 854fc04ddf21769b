"""Alert templates: a starting point in kk, ru and en for each kind of emergency.

The texts live in `templates.toml`; a template gives the CAP event, category and response,
the default urgency, severity and certainty, how long the alert lasts, and a headline and an
instruction (action first, short sentences) in every language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.profile import LANGUAGES, Language

_DATA = Path(__file__).with_name("templates.toml")
TEMPLATE_CODE = "komek-template"
"""The CAP eventCode valueName that records which template an alert was composed from."""


@dataclass(frozen=True)
class TemplateText:
    """A template's words in one language."""

    event: str
    headline: str
    instruction: str


@dataclass(frozen=True)
class AlertTemplate:
    """A starting point for one kind of emergency: CAP values and texts in kk, ru and en."""

    key: str
    category: str
    response: str
    urgency: str
    severity: str
    certainty: str
    expires_hours: float
    texts: dict[Language, TemplateText]

    def text(self, language: Language) -> TemplateText:
        return self.texts[language]

    @property
    def label(self) -> str:
        """The name the console shows (the English event name)."""
        return self.texts[Language.EN].event


@cache
def templates() -> tuple[AlertTemplate, ...]:
    """Every template, in the order the dispatcher is offered them."""
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(
        AlertTemplate(
            key=row["key"],
            category=row["category"],
            response=row["response"],
            urgency=row["urgency"],
            severity=row["severity"],
            certainty=row["certainty"],
            expires_hours=float(row["expires_hours"]),
            texts={
                language: TemplateText(
                    event=row[language.value]["event"],
                    headline=row[language.value]["headline"],
                    instruction=row[language.value]["instruction"],
                )
                for language in LANGUAGES
            },
        )
        for row in data["template"]
    )


def by_key(key: str) -> AlertTemplate | None:
    return next((template for template in templates() if template.key == key), None)


def by_event(event: str) -> AlertTemplate | None:
    """The template whose event name (in any language) is `event`, ignoring case."""
    wanted = event.strip().casefold()
    for template in templates():
        if any(text.event.casefold() == wanted for text in template.texts.values()):
            return template
    return None


FALLBACK = "other"
"""The template for an alert that fits no other (and for CAP alerts from elsewhere)."""
