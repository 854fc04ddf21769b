"""Atomic counters: slot capacity and yearly quotas can never be exceeded, even concurrently.

Why counters and not "count the bookings, then insert": a count followed by an insert is a race
(two transactions both see one free place and both take it) unless the database serialises them,
which SQLite does and PostgreSQL at READ COMMITTED does not. Instead each slot of a provider's
service has a `booking_slot_usage` row and each (person, service, year) a `booking_quota_usage`
row, and a booking takes its share with one conditional statement:

    UPDATE ... SET used = used + :n WHERE <key> AND used + :n <= :limit

A row-level write is atomic on both databases: on PostgreSQL a concurrent UPDATE of the same row
waits for the first transaction and re-checks the WHERE clause against the committed row, so
the second one matches nothing once the limit is reached; on SQLite writers are serialised. The
row count says whether the share was taken. Missing rows are created first with
`INSERT ... ON CONFLICT DO NOTHING`, which is also race-free. A CHECK constraint
(`used <= capacity`, `used <= quota`) backs this up in the schema. Rows are always taken in the
same order (quota first, then slots by start time), so concurrent bookings cannot deadlock.
Cancelling or declining gives the share back in the same transaction as the status change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.models import QuotaUsage, SlotUsage

_NO_SYNC = {"synchronize_session": False}


def _insert_missing(session: AsyncSession, table: Any, **values: Any) -> Any:
    """`INSERT ... ON CONFLICT DO NOTHING` in the session's dialect."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).values(**values).on_conflict_do_nothing()


async def take_slot(
    session: AsyncSession, provider_id: str, service: str, slot_start: datetime, capacity: int
) -> bool:
    """Take one place in a slot if one is free; False when the slot is full."""
    await session.execute(
        _insert_missing(
            session,
            SlotUsage,
            provider_id=provider_id,
            service=service,
            slot_start=slot_start,
            used=0,
            capacity=capacity,
        )
    )
    result = await session.execute(
        update(SlotUsage)
        .where(
            SlotUsage.provider_id == provider_id,
            SlotUsage.service == service,
            SlotUsage.slot_start == slot_start,
            SlotUsage.used + 1 <= capacity,
        )
        .values(used=SlotUsage.used + 1, capacity=capacity)
        .execution_options(**_NO_SYNC)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def give_slot(
    session: AsyncSession, provider_id: str, service: str, slot_start: datetime
) -> None:
    """Give a place in a slot back."""
    await session.execute(
        update(SlotUsage)
        .where(
            SlotUsage.provider_id == provider_id,
            SlotUsage.service == service,
            SlotUsage.slot_start == slot_start,
            SlotUsage.used >= 1,
        )
        .values(used=SlotUsage.used - 1)
        .execution_options(**_NO_SYNC)
    )


async def take_slots(
    session: AsyncSession,
    provider_id: str,
    service: str,
    slot_starts: Sequence[datetime],
    capacity: int,
) -> bool:
    """Take a place in every slot, in time order, or in none of them."""
    taken: list[datetime] = []
    for slot_start in sorted(slot_starts):
        if not await take_slot(session, provider_id, service, slot_start, capacity):
            for done in taken:
                await give_slot(session, provider_id, service, done)
            return False
        taken.append(slot_start)
    return True


async def give_slots_between(
    session: AsyncSession, provider_id: str, service: str, start: datetime, end: datetime
) -> None:
    """Give back a place in every slot that starts from `start` up to `end`."""
    await session.execute(
        update(SlotUsage)
        .where(
            SlotUsage.provider_id == provider_id,
            SlotUsage.service == service,
            SlotUsage.slot_start >= start,
            SlotUsage.slot_start < end,
            SlotUsage.used >= 1,
        )
        .values(used=SlotUsage.used - 1)
        .execution_options(**_NO_SYNC)
    )


async def take_quota(
    session: AsyncSession, person_id: int, service: str, year: int, hours: int, quota: int
) -> bool:
    """Add hours to the person's yearly use if they fit in the quota; False when they do not."""
    await session.execute(
        _insert_missing(
            session,
            QuotaUsage,
            person_id=person_id,
            service=service,
            year=year,
            used=0,
            quota=quota,
        )
    )
    result = await session.execute(
        update(QuotaUsage)
        .where(
            QuotaUsage.person_id == person_id,
            QuotaUsage.service == service,
            QuotaUsage.year == year,
            QuotaUsage.used + hours <= quota,
        )
        .values(used=QuotaUsage.used + hours, quota=quota)
        .execution_options(**_NO_SYNC)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def give_quota(
    session: AsyncSession, person_id: int, service: str, year: int, hours: int
) -> None:
    """Give hours back to the person's yearly quota."""
    await session.execute(
        update(QuotaUsage)
        .where(
            QuotaUsage.person_id == person_id,
            QuotaUsage.service == service,
            QuotaUsage.year == year,
            QuotaUsage.used >= hours,
        )
        .values(used=QuotaUsage.used - hours)
        .execution_options(**_NO_SYNC)
    )


async def quota_used(session: AsyncSession, person_id: int, service: str, year: int) -> int:
    """Hours the person holds of the service's quota in a year."""
    used = await session.scalar(
        select(QuotaUsage.used).where(
            QuotaUsage.person_id == person_id,
            QuotaUsage.service == service,
            QuotaUsage.year == year,
        )
    )
    return int(used or 0)
