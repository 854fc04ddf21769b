"""The delivery ledger: claiming rows to send, recording what happened, and counting.

Every change is a conditional update, so it is safe with any number of workers on any
number of machines: a row is claimed only while it is queued (and due) or while its sender's
lease has run out; a result is written only by the worker that holds the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Boolean, Table, and_, bindparam, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout.claim_statements import CANDIDATES, TAKE_LOCKED, TAKE_UNLOCKED
from alerts.models import Alert, AlertRecipient, Delivery, DeliveryState
from core.models import Base

LEASE = timedelta(seconds=30)
"""How long a worker owns the rows it claimed; renewed while it works on them."""


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker now owns, with what it needs to send it."""

    id: int
    alert_id: int
    registrant_id: int
    channel: str
    step: int
    batch: int
    attempts: int
    in_doubt: bool
    language: str
    disability_kinds: tuple[str, ...]
    chat_id: int | None
    phone: str | None
    contact_phone: str | None
    voice_refused: bool = False
    """Telegram refused them a voice note before: alerts go as text."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed delivery."""

    id: int
    state: DeliveryState
    provider_message_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None
    """Set with state QUEUED: the row goes back to the queue until then."""
    unreachable: bool = False
    """The channel cannot reach this person at all (Telegram: blocked, chat gone)."""
    sent_as: str | None = None
    """What went out on Telegram: "voice" or "text"."""
    voice_refused: bool = False
    """Telegram refused the voice note; the text went instead (kept for the person)."""
    part_ids: tuple[str, ...] = ()
    """The SMSC's id of each part of an SMS sent in several parts."""
    in_doubt: bool = False
    """The send failed in a way that may have reached the person all the same (no answer to
    a request that went out): the retry may send it twice, and the row says so."""


def insert_new(session: AsyncSession, model: type[Base]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on the session's database (SQLite or PostgreSQL).

    The ledger's unique keys make planning and re-planning idempotent: a row that exists is
    left as it is.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # On the table, not the mapped class: the ORM's bulk path would collect every row into
    # insert commands first, which costs more than the insert itself at 100,000 rows.
    return insert(cast(Table, model.__table__)).on_conflict_do_nothing()


async def claim(
    session: AsyncSession,
    *,
    alert_id: int,
    batch: int,
    worker: str,
    now: datetime,
    limit: int,
    lease: timedelta = LEASE,
) -> list[Claimed]:
    """Take up to `limit` due rows of one batch; rows of a dead worker come back in doubt."""
    candidates = await session.execute(
        CANDIDATES, {"b_alert": alert_id, "b_batch": batch, "b_now": now, "b_limit": limit}
    )
    found = {row.id: row for row in candidates}
    if not found:
        return []
    # PostgreSQL: the rows are ours, locked by the SELECT until the commit. The ids alone
    # then lead its planner to the primary key, whatever its statistics say about the states.
    # SQLite has no row locks: the same condition again, in case another process won a row.
    locked = session.get_bind().dialect.name == "postgresql"
    values: dict[str, Any] = {"b_ids": list(found), "b_worker": worker}
    values["b_lease_until"] = now + lease
    if not locked:
        values["b_now"] = now
    claimed = await session.execute(TAKE_LOCKED if locked else TAKE_UNLOCKED, values)
    result = []
    for won in claimed:
        row = found[won.id]
        result.append(
            Claimed(
                id=row.id,
                alert_id=row.alert_id,
                registrant_id=row.registrant_id,
                channel=row.channel,
                step=row.step,
                batch=row.batch,
                attempts=won.attempts,
                in_doubt=won.in_doubt,
                language=row.language,
                disability_kinds=tuple(row.disability_kinds or ()),
                chat_id=row.telegram_chat_id,
                phone=row.phone,
                contact_phone=row.contact_phone,
                voice_refused=row.voice_refused_at is not None,
            )
        )
    return sorted(result, key=lambda claimed_row: claimed_row.id)


def _held_by(worker: str, ids: Sequence[int]) -> tuple[Any, ...]:
    """The conditions for rows among `ids` that `worker` claimed and has not yet recorded."""
    return (
        Delivery.id.in_(ids),
        Delivery.worker == worker,
        Delivery.state == DeliveryState.SENDING,
    )


async def renew(
    session: AsyncSession,
    ids: Sequence[int],
    *,
    worker: str,
    now: datetime,
    lease: timedelta = LEASE,
) -> set[int]:
    """Extend the lease on rows this worker is still sending; the ids it still holds.

    A row missing from the answer is no longer this worker's to send: it was recorded, or
    another worker took it over after this one's lease lapsed (a stalled process).

    Rows another transaction has locked are skipped, not waited for: that is this worker
    writing their outcomes, or another taking them over. Waiting could deadlock with an
    outcome write, which locks its rows one by one in another order (PostgreSQL aborts one
    of the two; tests/regressions/test_ledger_lock_order.py)."""
    if not ids:
        return set()
    free = (
        select(Delivery.id)
        .where(*_held_by(worker, ids))
        .order_by(Delivery.id)
        .with_for_update(skip_locked=True)
    )
    held = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(free.scalar_subquery()))
        .values(lease_until=now + lease)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    return set(held.all())


async def release(session: AsyncSession, ids: Sequence[int], *, worker: str) -> int:
    """Give back claimed rows that were never handed to a channel: queued again, at once.

    The claim is undone: no lease, no owner, and the attempt it counted is taken back, so
    a worker that stops gracefully costs no one a retry. Returns how many rows went back.
    """
    if not ids:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(*_held_by(worker, ids))
        .values(
            state=DeliveryState.QUEUED,
            worker=None,
            lease_until=None,
            attempts=Delivery.attempts - 1,  # the claim counted one; a held row has ≥ 1
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


_DELIVERIES = Table("deliveries", Delivery.metadata)
_RECORD = (
    update(_DELIVERIES)
    .where(
        _DELIVERIES.c.id == bindparam("b_id"),
        _DELIVERIES.c.worker == bindparam("b_worker"),
        _DELIVERIES.c.state == DeliveryState.SENDING,
    )
    .values(
        state=bindparam("b_state"),
        provider_message_id=bindparam("b_provider"),
        sent_as=bindparam("b_sent_as"),
        last_error=bindparam("b_error"),
        in_doubt=or_(_DELIVERIES.c.in_doubt, bindparam("b_in_doubt", type_=Boolean)),
        not_before=bindparam("b_not_before"),
        sent_at=bindparam("b_sent_at"),
        finished_at=bindparam("b_finished_at"),
        lease_until=None,
    )
)


async def record(
    session: AsyncSession, outcomes: Sequence[Outcome], *, worker: str, now: datetime
) -> None:
    """Write the outcomes of sends in one statement (only rows this worker still holds).

    Rows are written in id order, as a claim locks them, whatever order the answers came in;
    a renewal skips the rows being written. No two transactions then wait for each other.
    """
    if not outcomes:
        return
    outcomes = sorted(outcomes, key=lambda outcome: outcome.id)
    finished = {DeliveryState.FAILED, DeliveryState.EXPIRED}
    await session.execute(
        _RECORD,
        [
            {
                "b_id": outcome.id,
                "b_worker": worker,
                "b_state": outcome.state.value,
                "b_provider": outcome.provider_message_id,
                "b_sent_as": outcome.sent_as,
                "b_error": outcome.error[:200] if outcome.error else None,
                "b_in_doubt": outcome.in_doubt,
                "b_not_before": outcome.retry_at,
                "b_sent_at": now if outcome.state is DeliveryState.SENT else None,
                "b_finished_at": now if outcome.state in finished else None,
            }
            for outcome in outcomes
        ],
    )


_RECIPIENTS = cast(Table, AlertRecipient.__table__).c
FIRST_SENT_AT_ONCE = 1000
_FIRST_SENT = (
    update(cast(Table, AlertRecipient.__table__))
    .where(
        _RECIPIENTS.alert_id == bindparam("b_alert"),
        _RECIPIENTS.registrant_id.in_(bindparam("b_registrants", expanding=True)),
        _RECIPIENTS.first_sent_at.is_(None),
    )
    .values(
        first_sent_at=bindparam("b_now"),
        # An alert that escalates has its first step planned: it now counts from this send.
        # A step already cancelled (an Update, a Cancel, an answer) stays cancelled.
        next_step_at=case(
            (
                and_(
                    _RECIPIENTS.next_step_at.is_not(None),
                    _RECIPIENTS.escalation_step == 0,
                    or_(_RECIPIENTS.answer.is_(None), _RECIPIENTS.answer == "unclear"),
                ),
                bindparam("b_next", type_=_RECIPIENTS.next_step_at.type),
            ),
            else_=_RECIPIENTS.next_step_at,
        ),
    )
)


async def first_sent(
    session: AsyncSession,
    recipients: Sequence[tuple[int, int]],
    now: datetime,
    first_step: timedelta | None,
) -> None:
    """The alert first left for these (alert, registrant) pairs now: escalation counts from it.

    One statement per alert (and per thousand people), not one per person."""
    next_step = now + first_step if first_step is not None else None
    by_alert: dict[int, set[int]] = {}
    for alert_id, registrant_id in recipients:
        by_alert.setdefault(alert_id, set()).add(registrant_id)
    for alert_id, registrants in sorted(by_alert.items()):
        ordered = sorted(registrants)
        for start in range(0, len(ordered), FIRST_SENT_AT_ONCE):
            await session.execute(
                _FIRST_SENT,
                {
                    "b_alert": alert_id,
                    "b_registrants": ordered[start : start + FIRST_SENT_AT_ONCE],
                    "b_now": now,
                    "b_next": next_step,
                },
            )


async def mark_delivered(
    session: AsyncSession,
    *,
    channel: str,
    provider_message_id: str,
    delivered: bool,
    error: str | None,
    now: datetime,
) -> int:
    """Apply a delivery receipt; returns how many rows it matched."""
    values: dict[str, Any] = (
        {"state": DeliveryState.DELIVERED, "delivered_at": now}
        if delivered
        else {"state": DeliveryState.FAILED, "finished_at": now, "last_error": (error or "")[:200]}
    )
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.provider_message_id == provider_message_id,
            Delivery.state == DeliveryState.SENT,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def pending_batches(
    session: AsyncSession, *, now: datetime, stale: timedelta
) -> list[tuple[int, int]]:
    """(alert, batch) pairs that need a worker: due rows queued a while ago, or lapsed leases.

    The task engine normally hands every batch out; this is the safety net for a task lost
    with a broker restart or a worker that died while holding rows.
    """
    rows = await session.execute(
        select(Delivery.alert_id, Delivery.batch)
        .join(Alert, Alert.id == Delivery.alert_id)
        .where(
            or_(
                and_(
                    Delivery.state == DeliveryState.QUEUED,
                    Delivery.queued_at < now - stale,
                    or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
                ),
                and_(Delivery.state == DeliveryState.SENDING, Delivery.lease_until < now),
            )
        )
        .group_by(Delivery.alert_id, Delivery.batch)
    )
    return [(row.alert_id, row.batch) for row in rows]


async def next_due(session: AsyncSession, *, alert_id: int, batch: int) -> datetime | None:
    """When the earliest postponed row of a batch is due again (None if none is waiting)."""
    value: datetime | None = await session.scalar(
        select(func.min(Delivery.not_before)).where(
            Delivery.alert_id == alert_id,
            Delivery.batch == batch,
            Delivery.state == DeliveryState.QUEUED,
        )
    )
    return value


async def counts(session: AsyncSession, alert_id: int) -> dict[str, dict[str, int]]:
    """Deliveries by channel and state."""
    rows = await session.execute(
        select(Delivery.channel, Delivery.state, func.count())
        .where(Delivery.alert_id == alert_id)
        .group_by(Delivery.channel, Delivery.state)
    )
    result: dict[str, dict[str, int]] = {}
    for channel, state, count in rows:
        result.setdefault(channel, {})[state] = count
    return result
