"""An Update or a Cancel of an earlier alert, started from a copy of it.

The draft keeps the earlier alert's texts, area, audience and status, and names it (and
whatever it referenced in turn) in `references`, so the fan-out reaches everybody who got
any of them.
"""

from __future__ import annotations

import math
from datetime import datetime

from alerts.area_input import circles_text, polygons_text
from alerts.cap.model import CapAlert, Info, Reference
from alerts.compose import Draft, LanguageText
from alerts.models import AlertState
from alerts.registry import regions
from alerts.render import choose_info
from alerts.targeting import Audience
from alerts.templates import FALLBACK, TEMPLATE_CODE, by_event, by_key
from core.profile import LANGUAGES
from core.said import Said


def follow_up(cap: CapAlert, audience: Audience, msg_type: str, *, now: datetime) -> Draft:
    """A draft of `msg_type` ("Update" or "Cancel") that refers to `cap`."""
    first = cap.infos[0] if cap.infos else Info()
    texts = {}
    for language in LANGUAGES:
        info = choose_info(cap, language) or first
        texts[language] = LanguageText(
            headline=info.headline or info.event,
            instruction=info.instruction or "",
            description=info.description or "",
            place=next(
                (area.description for area in info.areas if area.polygons or area.circles), ""
            ),
        )
    codes = dict.fromkeys(
        code
        for area in first.areas
        for name, value in area.geocodes
        if name.strip().upper() == "KATO" and (code := regions.normalise_code(value)) is not None
    )
    return Draft(
        template=_template_key(first),
        status=cap.status,
        msg_type=msg_type,
        references=references_of(cap),
        texts=texts,
        severity=first.severity,
        urgency=first.urgency,
        certainty=first.certainty,
        expires_hours=_hours_left(first, now),
        regions=tuple(codes),
        polygons=polygons_text(tuple(p for area in first.areas for p in area.polygons)),
        circles=circles_text(tuple(c for area in first.areas for c in area.circles)),
        kinds=tuple(sorted(audience.kinds)),
        languages=tuple(sorted(audience.languages)),
    )


def _template_key(info: Info) -> str:
    recorded = dict(info.event_codes).get(TEMPLATE_CODE)
    if recorded and by_key(recorded) is not None:
        return recorded
    template = by_event(info.event)
    return template.key if template is not None else FALLBACK


def _hours_left(info: Info, now: datetime) -> str:
    """Whole hours until the earlier alert expires (at least 1); empty: the template's."""
    if info.expires is None or info.expires <= now:
        return ""
    return str(max(1, math.ceil((info.expires - now).total_seconds() / 3600)))


def references_of(cap: CapAlert) -> tuple[Reference, ...]:
    """What an Update or Cancel of `cap` refers to: `cap` and everything it referred to."""
    return tuple(dict.fromkeys((Reference(cap.sender, cap.identifier, cap.sent), *cap.references)))


def refusal(cap: CapAlert, state: str) -> Said | None:
    """Why `cap` cannot be updated or cancelled, in words; None when it can."""
    if cap.msg_type == "Cancel":
        return Said("alerts.follow_up.is_cancel")
    if state not in {AlertState.SENDING, AlertState.SENT}:
        return Said("alerts.follow_up.not_sent")
    return None
