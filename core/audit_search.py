"""Reading the audit log for admins: newest first, filtered by who, what and when, by pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import as_utc
from core.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """None means any. `action` is a prefix ("staff." finds every staff action)."""

    actor: str | None = None
    """As written in the log ("staff:aigul", "person:12"); a bare name means that staff too."""
    action: str | None = None
    since: datetime | None = None
    """Inclusive; any time zone."""
    until: datetime | None = None
    """Exclusive; any time zone."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit entry as the audit page shows it."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    origin: str | None
    details: dict[str, object]


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of audit search results, newest first, and whether older ones follow."""

    rows: list[AuditRow]
    page: int
    """1 for the newest entries."""
    has_older: bool


def _escaped(text: str) -> str:
    """A LIKE pattern that matches `text` literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search(
    session: AsyncSession, where: AuditFilter, *, page: int = 1, size: int = PAGE_SIZE
) -> AuditPage:
    """One page of entries matching the filter, newest first."""
    page = max(1, page)
    query = select(AuditEntry)
    if where.actor:
        names = {where.actor} if ":" in where.actor else {where.actor, f"staff:{where.actor}"}
        query = query.where(AuditEntry.actor.in_(names))
    if where.action:
        query = query.where(AuditEntry.action.like(_escaped(where.action) + "%", escape="\\"))
    # Stored in UTC; SQLite compares the written-out times, so the bounds must be UTC too.
    if where.since is not None:
        query = query.where(AuditEntry.at >= as_utc(where.since))
    if where.until is not None:
        query = query.where(AuditEntry.at < as_utc(where.until))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    found = list(await session.scalars(query.offset((page - 1) * size).limit(size + 1)))
    rows = [
        AuditRow(
            id=entry.id,
            at=as_utc(entry.at),
            actor=entry.actor,
            action=entry.action,
            subject=entry.subject,
            origin=entry.origin,
            details=dict(entry.details or {}),
        )
        for entry in found[:size]
    ]
    return AuditPage(rows=rows, page=page, has_older=len(found) > size)
