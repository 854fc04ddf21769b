"""Every transition of the lifecycle, legal or not; each audited and told to the person."""

from __future__ import annotations

import pytest

from bookings.errors import (
    BookingNotFound,
    IllegalTransition,
    NotStarted,
    ReasonRequired,
    TooLateToCancel,
)
from bookings.events import BookingEvent
from bookings.lifecycle import STATUSES
from bookings.service import BookingService
from core import audit
from core.clock import ManualClock
from core.database import SessionFactory
from core.models import Person
from tests.bookings.conftest import FRIDAY, MONDAY, MakePerson, local

ACTIONS = ("confirm", "decline", "cancel", "complete", "no_show")
LEGAL = {
    ("requested", "confirm"): "confirmed",
    ("requested", "decline"): "declined",
    ("requested", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("confirmed", "complete"): "completed",
    ("confirmed", "no_show"): "no_show",
}
ROUTES = {
    "requested": [],
    "confirmed": ["confirm"],
    "declined": ["decline"],
    "cancelled": ["cancel"],
    "completed": ["confirm", "complete"],
    "no_show": ["confirm", "no_show"],
}
START = local(MONDAY, 10)


def after_start(clock: ManualClock) -> None:
    if clock.now() < START:
        clock.tick((START - clock.now()).total_seconds() + 60)


async def step(
    bookings: BookingService, clock: ManualClock, person: Person, booking_id: int, action: str
) -> BookingEvent:
    if action in {"complete", "no_show"}:
        after_start(clock)
    if action == "cancel":
        return await bookings.cancel(person, booking_id)
    if action == "decline":
        return await bookings.decline(booking_id, "staff:7", "No interpreter free")
    method = {"confirm": bookings.confirm, "complete": bookings.complete}.get(
        action, bookings.no_show
    )
    return await method(booking_id, "staff:7")


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
async def test_transition(
    bookings: BookingService,
    clock: ManualClock,
    make_person: MakePerson,
    sessions: SessionFactory,
    status: str,
    action: str,
) -> None:
    person = await make_person("deaf")
    created = await bookings.request(person, "sign_interpreter", START, 2, region="75")
    booking_id = created.booking.id
    for earlier in ROUTES[status]:
        await step(bookings, clock, person, booking_id, earlier)
    target = LEGAL.get((status, action))
    if target is None:
        with pytest.raises(IllegalTransition) as raised:
            await step(bookings, clock, person, booking_id, action)
        assert raised.value.key == "booking.error.illegal_transition"
        (mine,) = await bookings.my_bookings(person)
        assert mine.status == status
        return
    event = await step(bookings, clock, person, booking_id, action)
    assert (event.previous, event.status) == (status, target)
    assert event.key == f"booking.event.{target}"
    assert event.person_id == person.id
    (mine,) = await bookings.my_bookings(person)
    assert mine.status == target
    async with sessions() as session:
        entries = await audit.entries(session, action=f"booking.{target}")
    assert [entry.subject for entry in entries] == [f"booking:{booking_id}"]
    assert set(entries[0].details) <= {"service", "previous", "hours"}
    if target == "declined":
        assert event.params["reason"] == "No interpreter free"
        assert mine.reason == "No interpreter free"
    remaining = await bookings.remaining_hours(person, 2026)
    assert remaining == (60 if target in {"declined", "cancelled"} else 58)


async def test_requested_is_audited_without_personal_data(
    bookings: BookingService, make_person: MakePerson, sessions: SessionFactory
) -> None:
    person = await make_person("blind")
    event = await bookings.request(
        person,
        "social_taxi",
        local(FRIDAY, 8),
        region="75",
        destination_kind="court",
        address="Secret street 1",
        purpose="hearing about my pension",
    )
    assert event.key == "booking.event.requested"
    async with sessions() as session:
        (entry,) = await audit.entries(session, action="booking.requested")
    assert entry.actor == f"person:{person.id}"
    assert entry.subject == f"booking:{event.booking.id}"
    assert "Secret" not in str(entry.details) and "pension" not in str(entry.details)


async def test_decline_needs_a_reason(bookings: BookingService, make_person: MakePerson) -> None:
    event = await bookings.request(
        await make_person("deaf"), "sign_interpreter", START, 1, region="75"
    )
    with pytest.raises(ReasonRequired):
        await bookings.decline(event.booking.id, "staff:1", "  ")


async def test_complete_and_no_show_wait_for_the_start(
    bookings: BookingService, make_person: MakePerson
) -> None:
    event = await bookings.request(
        await make_person("deaf"), "sign_interpreter", START, 1, region="75"
    )
    await bookings.confirm(event.booking.id, "staff:1")
    for action in (bookings.complete, bookings.no_show):
        with pytest.raises(NotStarted):
            await action(event.booking.id, "staff:1")


async def test_cancel_up_to_two_hours_before_the_start(
    bookings: BookingService, clock: ManualClock, make_person: MakePerson
) -> None:
    person = await make_person("deaf")
    late = await bookings.request(person, "sign_interpreter", START, 1, region="75")
    in_time = await bookings.request(person, "sign_interpreter", START, 1, region="75")
    await bookings.confirm(late.booking.id, "staff:1")
    clock.tick((local(MONDAY, 8) - clock.now()).total_seconds())
    event = await bookings.cancel(person, in_time.booking.id)  # exactly at the cutoff
    assert event.status == "cancelled"
    clock.tick(1)
    with pytest.raises(TooLateToCancel) as raised:
        await bookings.cancel(person, late.booking.id)
    assert raised.value.params == {"cutoff_hours": 2}
    assert raised.value.key == "booking.error.too_late_to_cancel"


async def test_nobody_cancels_another_persons_booking(
    bookings: BookingService, make_person: MakePerson
) -> None:
    owner, other = await make_person("deaf"), await make_person("deaf")
    event = await bookings.request(owner, "sign_interpreter", START, 1, region="75")
    with pytest.raises(BookingNotFound):
        await bookings.cancel(other, event.booking.id)
    with pytest.raises(BookingNotFound):
        await bookings.confirm(999_999, "staff:1")


async def test_requests_without_a_time_can_be_cancelled_and_completed(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("mobility")
    first = await bookings.request(person, "sanatorium", region="75")
    assert (await bookings.cancel(person, first.booking.id)).key == (
        "booking.event.untimed.cancelled"
    )
    second = await bookings.request(person, "sanatorium", region="75")
    await bookings.confirm(second.booking.id, "staff:2")
    with pytest.raises(IllegalTransition):
        await bookings.no_show(second.booking.id, "staff:2")
    assert (await bookings.complete(second.booking.id, "staff:2")).status == "completed"


async def test_coordinator_lists_with_filters(
    bookings: BookingService, make_person: MakePerson
) -> None:
    from bookings.coordinator import Filters

    deaf, blind = await make_person("deaf"), await make_person("blind")
    interp = await bookings.request(deaf, "sign_interpreter", START, 1, region="75")
    await bookings.request(deaf, "sign_interpreter", local(FRIDAY, 9), 1, region="75")
    await bookings.request(blind, "social_taxi", START, region="75", destination_kind="station")
    await bookings.confirm(interp.booking.id, "staff:1")
    everything = await bookings.list_bookings()
    assert [b.starts_local.hour for b in everything if b.starts_local] == [9, 10, 10]
    assert len(await bookings.list_bookings(Filters(service="social_taxi"))) == 1
    assert len(await bookings.list_bookings(Filters(status="confirmed"))) == 1
    assert len(await bookings.list_bookings(Filters(provider_id="t-interp"))) == 2
    monday = await bookings.list_bookings(Filters(day_from=MONDAY, day_to=MONDAY))
    assert {b.service for b in monday} == {"sign_interpreter", "social_taxi"}
    assert len(await bookings.list_bookings(Filters(day_to=FRIDAY))) == 1
    mine = await bookings.my_bookings(deaf)
    assert [b.status for b in mine] == ["requested", "confirmed"]
