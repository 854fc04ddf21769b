"""An outbox of messages to people: written in a transaction, sent once by the bot process.

Whatever happens away from the conversation — a coordinator confirming a booking from the
console or the command line, a reminder falling due — is written here in the same transaction
as the change itself, so it is never lost. The bot process claims each row with a conditional
update before sending it, so two senders never send the same message twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base

CLAIM_TIMEOUT = timedelta(minutes=10)
"""A claim older than this belonged to a sender that died; the row is offered again."""
MAX_ATTEMPTS = 5


class Notification(Base):
    """One message to one person: an i18n key and its parameters (rendered when sent)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


def enqueue(
    session: AsyncSession, *, person_id: int, key: str, now: datetime, **params: Any
) -> Notification:
    """Add a message to the outbox, in the caller's transaction."""
    notification = Notification(person_id=person_id, key=key, params=params, created_at=now)
    session.add(notification)
    return notification


async def claim(session: AsyncSession, now: datetime, limit: int = 50) -> list[Notification]:
    """Unsent messages this sender now owns (others skip them), oldest first."""
    stale = now - CLAIM_TIMEOUT
    candidates = await session.scalars(
        select(Notification.id)
        .where(Notification.sent_at.is_(None), Notification.attempts < MAX_ATTEMPTS)
        .where((Notification.claimed_at.is_(None)) | (Notification.claimed_at < stale))
        .order_by(Notification.id)
        .limit(limit)
    )
    claimed: list[Notification] = []
    for notification_id in candidates.all():
        result = await session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.sent_at.is_(None))
            .where((Notification.claimed_at.is_(None)) | (Notification.claimed_at < stale))
            .values(claimed_at=now)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            found = await session.get(Notification, notification_id)
            if found is not None:
                claimed.append(found)
    return claimed


async def mark_sent(session: AsyncSession, notification_id: int, now: datetime) -> None:
    await session.execute(
        update(Notification).where(Notification.id == notification_id).values(sent_at=now)
    )


async def release(session: AsyncSession, notification_id: int) -> None:
    """Sending failed: count the attempt and offer the message again later."""
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(claimed_at=None, attempts=Notification.attempts + 1)
    )
