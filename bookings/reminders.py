"""Reminders a day and an hour before a confirmed booking, claimed once in the database.

The due times are columns of the booking, so reminders survive restarts. A scheduler asks for
`due_reminders`, then claims each with `mark_sent` — a conditional update that succeeds for
exactly one caller — and sends only what it claimed: two schedulers never send the same
reminder twice (at most once: a crash between claim and send loses that one reminder).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events import BookingView
from bookings.lifecycle import CONFIRMED
from bookings.models import Booking
from core import audit
from core.clock import as_utc


class ReminderKind(StrEnum):
    """Which reminder of a booking: the day before, or the hour before."""

    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder to send: `key` in the catalogs; the caller fills {service} and {when}."""

    kind: ReminderKind
    booking: BookingView

    @property
    def key(self) -> str:
        """The reminder's text key in the catalogs."""
        return f"booking.reminder.{self.kind.value}"


async def due_reminders(session: AsyncSession, now: datetime) -> list[Reminder]:
    """Reminders due at `now` and not yet sent; a day reminder whose hour has come is skipped."""
    now = as_utc(now)
    day_due = (
        (Booking.remind_day_at <= now)
        & (Booking.remind_hour_at > now)
        & Booking.day_reminder_sent_at.is_(None)
    )
    hour_due = (
        (Booking.remind_hour_at <= now)
        & (Booking.starts_at > now)
        & Booking.hour_reminder_sent_at.is_(None)
    )
    query = (
        select(Booking)
        .where(Booking.status == CONFIRMED, or_(day_due, hour_due))
        .order_by(Booking.starts_at, Booking.id)
    )
    found: list[Reminder] = []
    for booking in await session.scalars(query):
        assert booking.starts_at is not None and booking.remind_hour_at is not None
        if booking.remind_hour_at <= now:
            found.append(Reminder(ReminderKind.HOUR_BEFORE, BookingView.of(booking)))
        else:
            found.append(Reminder(ReminderKind.DAY_BEFORE, BookingView.of(booking)))
    return found


async def mark_sent(
    session: AsyncSession, booking_id: int, kind: ReminderKind, now: datetime
) -> bool:
    """Claim a reminder for sending; False when another scheduler claimed it first."""
    column = (
        Booking.day_reminder_sent_at
        if kind is ReminderKind.DAY_BEFORE
        else Booking.hour_reminder_sent_at
    )
    result = await session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == CONFIRMED, column.is_(None))
        .values({column: as_utc(now)})
        .execution_options(synchronize_session=False)
    )
    claimed = getattr(result, "rowcount", 0) == 1
    if claimed:
        audit.record(
            session,
            at=as_utc(now),
            actor="scheduler",
            action="booking.reminded",
            subject=f"booking:{booking_id}",
            kind=kind.value,
        )
    return bool(claimed)
