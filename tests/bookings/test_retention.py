"""Bookings' retention: some days after a booking is over its address, place and purpose are
emptied; bookings to come and requests still waiting keep them. Real SQLite, bookings made
through the booking service, the clock moved by hand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bookings import retention as bookings_retention
from bookings.models import Booking
from bookings.service import BookingService
from core import audit, retention
from core.clock import ManualClock
from core.database import SessionFactory
from core.settings import Settings
from tests.bookings.conftest import MONDAY, MakePerson, local

DAYS = 90
RULES = bookings_retention.rules(retention.Policy(booking_days=DAYS))


async def stored(sessions: SessionFactory) -> dict[int, Booking]:
    async with sessions() as session:
        return {b.id: b for b in (await session.scalars(select(Booking))).all()}


async def test_past_bookings_lose_their_address_and_what_is_still_needed_keeps_it(
    bookings: BookingService,
    sessions: SessionFactory,
    clock: ManualClock,
    make_person: MakePerson,
) -> None:
    person = await make_person("deaf")
    old = await bookings.request(person, "sign_interpreter", local(MONDAY, 10), 2,
                                 address="Abay street 10, flat 5")  # fmt: skip
    recent = await bookings.request(person, "sign_interpreter", local(MONDAY, 14), 1,
                                    address="Abay street 10, flat 5")  # fmt: skip
    place = {"destination_kind": "medical", "latitude": 43.25, "longitude": 76.9}
    taxi = await bookings.request(person, "social_taxi", local(MONDAY, 9), 1, **place)
    waiting = await bookings.request(person, "sanatorium", purpose="my back hurts")
    dropped = await bookings.request(person, "disability_assessment", purpose="group again")
    await bookings.confirm(old.booking.id, "staff:7")
    await bookings.confirm(recent.booking.id, "staff:7")
    await bookings.cancel(person, dropped.booking.id)

    # 90 days and 2 hours after Monday 12:00: the 10:00 booking and the taxi are over for
    # longer than the period; the 14:00 one ended 90 days ago less an hour.
    clock.tick((local(MONDAY, 12) + timedelta(days=DAYS, hours=2) - clock.now()).total_seconds())
    await bookings.complete(recent.booking.id, "staff:7")  # marked late: its time counts
    coming = await bookings.request(person, "sign_interpreter", clock.now() + timedelta(days=3),
                                    address="Kenesary street 4")  # fmt: skip

    dry = await retention.run(sessions, RULES, now=clock.now(), actor="staff:cli", dry_run=True)
    assert dry == {"booking_addresses_emptied": 3}
    assert (await stored(sessions))[old.booking.id].address == "Abay street 10, flat 5"
    done = await retention.run(sessions, RULES, now=clock.now(), actor="staff:cli")
    again = await retention.run(sessions, RULES, now=clock.now(), actor="staff:cli")
    assert done == dry and again == {"booking_addresses_emptied": 0}

    rows = await stored(sessions)
    emptied = [rows[b.booking.id] for b in (old, taxi, dropped)]
    assert [(b.address, b.latitude, b.longitude, b.purpose) for b in emptied] == [
        (None, None, None, None)
    ] * 3
    assert [(b.service, b.status, b.hours) for b in emptied] == [
        ("sign_interpreter", "confirmed", 2),
        ("social_taxi", "requested", 1),
        ("disability_assessment", "cancelled", 0),
    ]
    assert rows[old.booking.id].starts_at is not None and rows[taxi.booking.id].destination_kind
    assert rows[recent.booking.id].address == "Abay street 10, flat 5"
    assert rows[coming.booking.id].address == "Kenesary street 4"
    assert rows[waiting.booking.id].purpose == "my back hurts"
    assert await bookings.last_address(person) == "Kenesary street 4"
    async with sessions() as session:
        entries = await audit.entries(session, action="retention.run")
    assert [entry.details for entry in entries] == [done, again]


async def test_the_period_comes_from_settings_with_a_documented_default() -> None:
    assert retention.Policy().booking_days == DAYS
    settings = Settings(_env_file=None, environment="test", retention_booking_days=30)  # type: ignore[call-arg]
    assert retention.Policy.from_settings(settings).booking_days == 30
    (rule,) = bookings_retention.rules(retention.Policy.from_settings(settings))
    assert rule.label.endswith("(over 30 days after the booking)")
