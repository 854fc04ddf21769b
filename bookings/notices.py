"""What people are told about their bookings, written to the outbox in the same transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events import BookingEvent, BookingView
from bookings.reminders import Reminder
from bookings.service import BookingService
from core import notifications


def _about(booking: BookingView) -> dict[str, str]:
    params = {"service_key": f"booking.service.{booking.service}.name"}
    if booking.starts_at is not None:
        params["when_at"] = booking.starts_at.isoformat()
    return params


def notify(session: AsyncSession, event: BookingEvent, now: datetime) -> None:
    """Tell the person what happened to their booking (confirmed, declined, …)."""
    notifications.enqueue(
        session,
        person_id=event.person_id,
        key=event.key,
        now=now,
        **_about(event.booking),
        **dict(event.params),
    )


async def queue_reminders(service: BookingService, session: AsyncSession, now: datetime) -> int:
    """Move due reminders to the outbox; claiming and queueing in one transaction: never twice."""
    queued = 0
    reminders: list[Reminder] = await service.due_reminders(now, session=session)
    for reminder in reminders:
        if await service.mark_sent(reminder.booking.id, reminder.kind, now, session=session):
            notifications.enqueue(
                session,
                person_id=reminder.booking.person_id,
                key=reminder.key,
                now=now,
                **_about(reminder.booking),
            )
            queued += 1
    return queued
