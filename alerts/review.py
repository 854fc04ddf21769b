"""What the console shows of alerts: the list, and exactly what one alert will send.

`outgoing` renders an alert as each language's recipients get it (Telegram text, SMS and its
parts, the text a voice note speaks), with the same code the fan-out uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts import authority, sms_text
from alerts.cap.codec import from_dict
from alerts.cap.model import CapAlert, Info
from alerts.models import Alert, AlertRecipient
from alerts.render import choose_info, render
from alerts.targeting import Audience
from core.i18n import Catalogs
from core.profile import LANGUAGES, Language


@dataclass(frozen=True)
class Outgoing:
    """One language's messages."""

    language: Language
    text: str
    """The Telegram text (the caption of the voice note for blind people)."""
    sms: str
    sms_parts: int
    sms_units: int
    spoken: str


@dataclass(frozen=True)
class StoredAlert:
    """An alert as stored, with its audience, state and who wrote and approved it."""

    id: int
    cap: CapAlert
    audience: Audience
    state: str
    created_by: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    references: tuple[int, ...]
    cap_xml: str

    @property
    def owner(self) -> str:
        """Who the alert belongs to, in words (alerts.authority)."""
        return authority.owner_words(authority.owner_of(self.created_by))

    @property
    def info(self) -> Info | None:
        """The English block (else the closest): what the console shows of the alert."""
        return choose_info(self.cap, Language.EN)

    @property
    def headline(self) -> str:
        info = self.info
        return (info.headline or info.event) if info is not None else self.cap.identifier


@dataclass(frozen=True)
class Referenced:
    """An earlier alert a follow-up refers to, shown beside it for the approver."""

    original: StoredAlert
    owner: str
    """Who it belongs to, in words."""
    same_owner: bool
    recipients: int
    """How many people it reached: the follow-up reaches them too."""


@dataclass(frozen=True)
class Rejection:
    """Who turned an alert down, when, and why (shown to its author)."""

    actor: str
    at: datetime
    reason: str


def outgoing(
    alert: CapAlert,
    catalogs: Catalogs,
    *,
    tz: ZoneInfo,
    reference_bits: int = sms_text.REFERENCE_BITS,
) -> tuple[Outgoing, ...]:
    """The alert as a Kazakh, a Russian and an English reader get it; SMS parts counted as
    a bind with `reference_bits` concatenation references cuts them."""
    found = []
    for language in LANGUAGES:
        rendered = render(alert, language, catalogs, tz=tz, reference_bits=reference_bits)
        found.append(
            Outgoing(
                language=language,
                text=rendered.text,
                sms=rendered.sms,
                sms_parts=sms_text.parts(rendered.sms, reference_bits),
                sms_units=sms_text.units(rendered.sms),
                spoken=rendered.spoken,
            )
        )
    return tuple(found)


def _stored(row: Alert) -> StoredAlert:
    return StoredAlert(
        id=row.id,
        cap=from_dict(row.document),
        audience=Audience.from_json(row.audience),
        state=row.state,
        created_by=row.created_by,
        created_at=row.created_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        references=tuple(row.references),
        cap_xml=row.cap_xml,
    )


async def stored(session: AsyncSession, alert_id: int) -> StoredAlert | None:
    row = await session.get(Alert, alert_id)
    return _stored(row) if row is not None else None


async def recent(session: AsyncSession, limit: int = 100) -> list[StoredAlert]:
    """The newest alerts first."""
    rows = await session.scalars(select(Alert).order_by(Alert.id.desc()).limit(limit))
    return [_stored(row) for row in rows]


async def referenced(session: AsyncSession, alert: StoredAlert) -> list[Referenced]:
    """The alerts `alert` refers to, with their owner and how many people they reached."""
    found = []
    owner = authority.owner_of(alert.created_by)
    for alert_id in alert.references:
        original = await stored(session, alert_id)
        if original is None:
            continue
        reached = await session.scalar(
            select(func.count()).where(AlertRecipient.alert_id == alert_id)
        )
        original_owner = authority.owner_of(original.created_by)
        found.append(
            Referenced(
                original=original,
                owner=authority.owner_words(original_owner),
                same_owner=original_owner == owner,
                recipients=int(reached or 0),
            )
        )
    return found


async def rejection(session: AsyncSession, alert_id: int) -> Rejection | None:
    alert = await session.get(Alert, alert_id)
    if alert is None or alert.rejected_by is None or alert.rejected_at is None:
        return None
    return Rejection(alert.rejected_by, alert.rejected_at, alert.rejection_reason or "")
