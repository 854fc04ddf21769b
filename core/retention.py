"""Data retention: personal data is kept only as long as it is needed.

Each package describes what it keeps and for how long as `Rule`s; `run` applies them all in one
transaction (or applies and rolls back, to count: a dry run) and writes one audit entry with
the counts. What stays is what statistics need: counts, states and times, never who.

The core's own rules: help requests are anonymised some days after they were resolved (place,
note and the link to the person dropped; kind, danger and times kept; the words of their thread
deleted), and messages sent to
people (their texts' parameters may name a place or a time) are deleted some days after sending,
and unclear messages kept for staff to teach the assistant some days after they were kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core import audit
from core.database import SessionFactory
from core.models import HandoverRequest, HelpMessage, ReviewItem
from core.notifications import MAX_ATTEMPTS, Notification
from core.settings import Settings


@dataclass(frozen=True, kw_only=True)
class Policy:
    """How many days each kind of record is kept (KOMEK_RETENTION_*)."""

    delivery_days: int = 90
    inactive_registrant_days: int = 30
    handover_days: int = 90
    notification_days: int = 30
    review_days: int = 90
    booking_days: int = 90

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            delivery_days=settings.retention_delivery_days,
            inactive_registrant_days=settings.retention_inactive_registrant_days,
            handover_days=settings.retention_handover_days,
            notification_days=settings.retention_notification_days,
            review_days=settings.retention_review_days,
            booking_days=settings.retention_booking_days,
        )


Apply = Callable[[AsyncSession, datetime], Awaitable[int]]
"""(session, now) → how many rows the rule changed."""


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One retention rule: what it removes, and the function that removes it."""

    key: str
    """Name in the audit entry: "deliveries_anonymised"."""
    label: str
    """What it does, for people: "Delivery records anonymised (alerts over 90 days old)"."""
    apply: Apply


async def change(
    session: AsyncSession, model: type[Any], where: ColumnElement[bool], **values: Any
) -> int:
    """Update the rows of `model` matching `where` with `values`, or delete them when no values
    are given; returns how many."""
    statement = (
        update(model).where(where).values(**values) if values else delete(model).where(where)
    )
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def anonymise(
    session: AsyncSession,
    model: type[Any],
    where: ColumnElement[bool],
    *columns: InstrumentedAttribute[Any],
) -> int:
    """Empty `columns` in the rows of `model` matching `where` that still hold any of them;
    returns how many rows."""
    holding = or_(*(column.is_not(None) for column in columns))
    emptied: dict[str, Any] = {column.key: None for column in columns}
    return await change(session, model, and_(where, holding), **emptied)


def core_rules(policy: Policy) -> list[Rule]:
    """Help requests anonymised and messages to people deleted, after their time."""

    async def handovers(session: AsyncSession, now: datetime) -> int:
        cutoff = now - timedelta(days=policy.handover_days)
        resolved = func.coalesce(HandoverRequest.resolved_at, HandoverRequest.created_at)
        return await anonymise(
            session,
            HandoverRequest,
            and_(HandoverRequest.status == "resolved", resolved < cutoff),
            HandoverRequest.person_id,
            HandoverRequest.registrant_id,
            HandoverRequest.latitude,
            HandoverRequest.longitude,
            HandoverRequest.note,
            HandoverRequest.name,
        )

    async def help_messages(session: AsyncSession, now: datetime) -> int:
        cutoff = now - timedelta(days=policy.handover_days)
        resolved = func.coalesce(HandoverRequest.resolved_at, HandoverRequest.created_at)
        old = select(HandoverRequest.id).where(
            HandoverRequest.status == "resolved", resolved < cutoff
        )
        return await change(session, HelpMessage, HelpMessage.request_id.in_(old))

    async def notifications(session: AsyncSession, now: datetime) -> int:
        cutoff = now - timedelta(days=policy.notification_days)
        where = or_(
            Notification.sent_at < cutoff,
            and_(
                Notification.sent_at.is_(None),
                Notification.attempts >= MAX_ATTEMPTS,
                Notification.created_at < cutoff,
            ),
        )
        return await change(session, Notification, where)

    async def review_items(session: AsyncSession, now: datetime) -> int:
        cutoff = now - timedelta(days=policy.review_days)
        return await change(session, ReviewItem, ReviewItem.created_at < cutoff)

    return [
        Rule(
            key="handovers_anonymised",
            label=f"Help requests anonymised (resolved over {policy.handover_days} days ago)",
            apply=handovers,
        ),
        Rule(
            key="help_messages_deleted",
            label="The words of help requests deleted (resolved over "
            f"{policy.handover_days} days ago)",
            apply=help_messages,
        ),
        Rule(
            key="notifications_deleted",
            label=f"Messages to people deleted (sent over {policy.notification_days} days ago)",
            apply=notifications,
        ),
        Rule(
            key="review_messages_deleted",
            label=f"Unclear messages kept to teach the bot deleted (over {policy.review_days} "
            "days old)",
            apply=review_items,
        ),
    ]


async def run(
    sessions: SessionFactory,
    rules: Sequence[Rule],
    *,
    now: datetime,
    actor: str,
    dry_run: bool = False,
) -> dict[str, int]:
    """Apply the rules in order in one transaction; rule key → rows changed.

    A dry run applies them too, for exact counts (a rule may leave less for the next one),
    and rolls everything back; it is not audited. A real run is audited with the counts.
    """
    async with sessions() as session:
        counts = {rule.key: await rule.apply(session, now) for rule in rules}
        if dry_run:
            await session.rollback()
            return counts
        details: dict[str, Any] = dict(counts)
        audit.record(session, at=now, actor=actor, action="retention.run", **details)
        await session.commit()
    return counts
