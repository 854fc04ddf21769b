"""What the alert page shows about an alert besides its figures: texts, who, when, relations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.cap.codec import from_dict
from alerts.cap.model import CapAlert
from alerts.models import Alert, AlertState
from console.alert_progress import SENT_STATES

STATUSES = ("Actual", "Exercise", "Test", "System", "Draft")
"""CAP statuses with words in the catalogs (console.alert.status.<status>)."""
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
"""CAP message types with words in the catalogs (console.alert.type.<type>)."""


@dataclass(frozen=True)
class Headline:
    """An alert's headline in one language."""

    language: str
    """A BCP 47 tag for the `lang` attribute ("kk", "ru", "en")."""
    text: str
    event: str


@dataclass(frozen=True)
class Related:
    """An alert that updates or cancels this one, or that this one updates."""

    alert_id: int
    msg_type: str
    created_at: datetime


@dataclass(frozen=True)
class AlertView:
    """An alert as its console page shows it."""

    id: int
    identifier: str
    sender: str
    status: str
    msg_type: str
    severity: str
    state: str
    areas: tuple[str, ...]
    headlines: tuple[Headline, ...]
    created_by: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    refers_to: tuple[int, ...]
    """Earlier alerts this one updates or cancels."""
    followed_by: tuple[Related, ...]
    """Later alerts that update or cancel this one."""

    @property
    def went_out(self) -> bool:
        return self.state in SENT_STATES

    @property
    def awaits_approval(self) -> bool:
        return self.state == AlertState.AWAITING_APPROVAL.value

    @property
    def can_follow_up(self) -> bool:
        """Update and Cancel are offered for an alert that went out and is not itself a Cancel."""
        cancelled = any(later.msg_type == "Cancel" for later in self.followed_by)
        return self.went_out and self.msg_type != "Cancel" and not cancelled


def _language(tag: str) -> str:
    return tag.split("-")[0].lower() or "en"


def _cap(alert: Alert) -> CapAlert | None:
    try:
        return from_dict(alert.document)
    except (KeyError, TypeError, ValueError):
        return None  # stored without a readable document: show what the row itself says


async def alert_view(session: AsyncSession, alert_id: int) -> AlertView | None:
    alert = await session.get(Alert, alert_id)
    if alert is None:
        return None
    cap = _cap(alert)
    headlines = tuple(
        Headline(
            language=_language(info.language),
            text=info.headline or info.event,
            event=info.event,
        )
        for info in (cap.infos if cap else ())
    )
    areas = tuple(
        dict.fromkeys(
            area.description for info in (cap.infos if cap else ()) for area in info.areas
        )
    )
    later = await session.execute(
        select(Alert.id, Alert.msg_type, Alert.created_at, Alert.references)
        .where(Alert.msg_type.in_(("Update", "Cancel")), Alert.id > alert_id)
        .order_by(Alert.id)
    )
    followed_by = tuple(
        Related(row.id, row.msg_type, row.created_at)
        for row in later
        if alert_id in (row.references or [])
    )
    return AlertView(
        id=alert.id,
        identifier=alert.identifier,
        sender=alert.sender,
        status=alert.status,
        msg_type=alert.msg_type,
        severity=alert.severity,
        state=alert.state,
        areas=areas,
        headlines=headlines,
        created_by=alert.created_by,
        created_at=alert.created_at,
        approved_by=alert.approved_by,
        approved_at=alert.approved_at,
        refers_to=tuple(alert.references or ()),
        followed_by=followed_by,
    )
