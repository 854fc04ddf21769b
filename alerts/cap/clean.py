"""What people will read of an alert, cleaned as it comes in: no bidirectional controls.

A headline with U+202E shows its words in reverse order in the console and in recipients'
Telegram; the texts an alert shows (and the names in it) are stored without such controls.
"""

from __future__ import annotations

import dataclasses

from alerts.cap.model import Area, CapAlert, Info
from core.text import without_bidi_controls


def _clean(text: str | None) -> str | None:
    return without_bidi_controls(text) if text is not None else None


def _area(area: Area) -> Area:
    return dataclasses.replace(area, description=without_bidi_controls(area.description))


def _info(info: Info) -> Info:
    return dataclasses.replace(
        info,
        event=without_bidi_controls(info.event),
        sender_name=_clean(info.sender_name),
        headline=_clean(info.headline),
        description=_clean(info.description),
        instruction=_clean(info.instruction),
        contact=_clean(info.contact),
        areas=tuple(_area(area) for area in info.areas),
    )


def shown_texts_cleaned(alert: CapAlert) -> CapAlert:
    """The alert with every text it shows free of bidirectional control characters."""
    return dataclasses.replace(
        alert, note=_clean(alert.note), infos=tuple(_info(info) for info in alert.infos)
    )
