"""The audit log: every staff action and every change to a person's data, without personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AuditEntry


def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None = None,
    origin: str | None = None,
    **details: str | int | bool | None,
) -> AuditEntry:
    """Add an entry to the session's transaction. Details must not hold personal data."""
    entry = AuditEntry(
        at=at, actor=actor, action=action, subject=subject, origin=origin, details=details
    )
    session.add(entry)
    return entry


async def entries(session: AsyncSession, *, action: str | None = None) -> list[AuditEntry]:
    """Entries, oldest first, optionally of one action."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list((await session.scalars(query)).all())
