"""Reminders a day and an hour before, on a controlled clock: due once, never sent twice."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bookings.reminders import ReminderKind
from bookings.service import BookingService
from core.clock import ManualClock
from core.database import create_engine, session_factory
from core.settings import Settings
from tests.bookings.conftest import MONDAY, MakePerson, local

START = local(MONDAY, 10)


def move_to(clock: ManualClock, moment: datetime) -> None:
    clock.tick((moment - clock.now()).total_seconds())


async def send_due(bookings: BookingService) -> list[tuple[int, ReminderKind]]:
    """What a scheduler does: find due reminders, claim each, 'send' what it claimed."""
    sent = []
    for reminder in await bookings.due_reminders():
        if await bookings.mark_sent(reminder.booking.id, reminder.kind):
            sent.append((reminder.booking.id, reminder.kind))
    return sent


async def test_day_and_hour_reminders_survive_a_restart(
    bookings: BookingService, clock: ManualClock, make_person: MakePerson, settings: Settings
) -> None:
    person = await make_person("deaf")
    event = await bookings.request(person, "sign_interpreter", START, 2, region="75")
    booking_id = event.booking.id
    await bookings.confirm(booking_id, "staff:1")
    assert await send_due(bookings) == []
    move_to(clock, local(MONDAY.replace(day=4), 9, 59))
    assert await send_due(bookings) == []
    move_to(clock, local(MONDAY.replace(day=4), 10))
    (reminder,) = await bookings.due_reminders()
    assert reminder.key == "booking.reminder.day_before"
    assert reminder.booking.starts_local == START
    assert await send_due(bookings) == [(booking_id, ReminderKind.DAY_BEFORE)]
    assert await send_due(bookings) == []

    # A restart: a new engine and service on the same database file.
    engine = create_engine(settings)
    try:
        restarted = BookingService(session_factory(engine), clock)
        clock.tick(3600)
        assert await send_due(restarted) == []
        move_to(clock, local(MONDAY, 9))
        (reminder,) = await restarted.due_reminders()
        assert reminder.key == "booking.reminder.hour_before"
        assert await send_due(restarted) == [(booking_id, ReminderKind.HOUR_BEFORE)]
        assert await send_due(restarted) == []
        assert await send_due(bookings) == []
        move_to(clock, START)
        assert await send_due(restarted) == []
    finally:
        await engine.dispose()


async def test_only_confirmed_bookings_are_reminded(
    bookings: BookingService, clock: ManualClock, make_person: MakePerson
) -> None:
    person = await make_person("deaf")
    await bookings.request(person, "sign_interpreter", START, 1, region="75")
    cancelled = await bookings.request(person, "sign_interpreter", START, 1, region="75")
    await bookings.confirm(cancelled.booking.id, "staff:1")
    await bookings.cancel(person, cancelled.booking.id)
    move_to(clock, local(MONDAY, 9, 30))
    assert await bookings.due_reminders() == []


async def test_a_late_confirmation_skips_the_day_reminder(
    bookings: BookingService, clock: ManualClock, make_person: MakePerson
) -> None:
    event = await bookings.request(
        await make_person("deaf"), "sign_interpreter", START, 1, region="75"
    )
    move_to(clock, local(MONDAY, 9, 15))
    await bookings.confirm(event.booking.id, "staff:1")
    assert await send_due(bookings) == [(event.booking.id, ReminderKind.HOUR_BEFORE)]


async def test_two_schedulers_claim_a_reminder_once(
    bookings: BookingService, clock: ManualClock, make_person: MakePerson
) -> None:
    event = await bookings.request(
        await make_person("deaf"), "sign_interpreter", START, 1, region="75"
    )
    await bookings.confirm(event.booking.id, "staff:1")
    move_to(clock, local(MONDAY, 9, 15))
    claims = await asyncio.gather(
        *(bookings.mark_sent(event.booking.id, ReminderKind.HOUR_BEFORE) for _ in range(10))
    )
    assert sorted(claims) == [False] * 9 + [True]
