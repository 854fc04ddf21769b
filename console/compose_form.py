"""The compose form's fields, read into a `Draft`; and the words the alert pages use."""

from __future__ import annotations

from starlette.datastructures import FormData

from alerts.cap.model import Reference
from alerts.compose import Draft, LanguageText
from core.profile import LANGUAGES

MAX_FIELD = 210_000
"""Longer values are cut here; the domain then says the field is too long."""

STATE_WORDS = {
    "draft": "Draft",
    "awaiting_approval": "Waiting for approval",
    "sending": "Sending",
    "sent": "Sent",
    "rejected": "Rejected",
}
STATUS_WORDS = {
    "Actual": "Real alert (Actual)",
    "Exercise": "Exercise (a drill)",
    "Test": "Test",
}
TYPE_WORDS = {"Alert": "New alert", "Update": "Update", "Cancel": "Cancel"}


def _one(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _many(form: FormData, name: str) -> tuple[str, ...]:
    return tuple(value[:20] for value in form.getlist(name) if isinstance(value, str))[:200]


def original_id(form: FormData) -> int | None:
    """The earlier alert an Update or a Cancel refers to, as the form carries it."""
    value = _one(form, "original").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def draft_from_form(form: FormData, references: tuple[Reference, ...] = ()) -> Draft:
    return Draft(
        template=_one(form, "template").strip(),
        status=_one(form, "status"),
        msg_type=_one(form, "msg_type") or "Alert",
        references=references,
        texts={
            language: LanguageText(
                headline=_one(form, f"headline_{language.value}"),
                instruction=_one(form, f"instruction_{language.value}"),
                description=_one(form, f"description_{language.value}"),
                place=_one(form, f"place_{language.value}"),
            )
            for language in LANGUAGES
        },
        severity=_one(form, "severity"),
        urgency=_one(form, "urgency"),
        certainty=_one(form, "certainty"),
        expires_hours=_one(form, "expires_hours"),
        regions=_many(form, "regions"),
        polygons=_one(form, "polygons"),
        circles=_one(form, "circles"),
        kinds=_many(form, "kinds"),
        languages=_many(form, "languages"),
    )
