"""Free slots: working hours in local time, minus places taken, later than now."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bookings.errors import InThePast, NoProvider, OutsideHours, SlotFull, TimeRequired
from bookings.service import BookingService
from core.clock import ManualClock
from tests.bookings.conftest import FRIDAY, MONDAY, SATURDAY, MakePerson, local


def hours_of(slots: list) -> list[int]:  # type: ignore[type-arg]
    return [slot.starts_local.hour for slot in slots]


async def test_a_working_day_has_nine_one_hour_slots_in_local_time(
    bookings: BookingService,
) -> None:
    slots = await bookings.free_slots("sign_interpreter", "75", FRIDAY)
    assert hours_of(slots) == list(range(9, 18))
    assert all(slot.free == 2 and slot.provider_id == "t-interp" for slot in slots)
    first = slots[0]
    assert first.starts_at.utcoffset() == timedelta(0)
    assert first.starts_at.hour == 4  # 09:00 in Almaty is 04:00 UTC
    assert first.ends_at - first.starts_at == timedelta(hours=1)


async def test_longer_bookings_fit_inside_one_working_span(bookings: BookingService) -> None:
    assert hours_of(await bookings.free_slots("sign_interpreter", "75", FRIDAY, hours=8)) == [
        9,
        10,
    ]
    lunch = await bookings.free_slots("personal_assistant", "75", FRIDAY, hours=4)
    assert hours_of(lunch) == [9, 14]


async def test_bookings_take_places_and_cancelling_gives_them_back(
    bookings: BookingService, make_person: MakePerson
) -> None:
    first, second = await make_person("deaf"), await make_person("deaf")
    await bookings.request(first, "sign_interpreter", local(FRIDAY, 10), 2, region="75")
    slots = {
        s.starts_local.hour: s.free
        for s in await bookings.free_slots("sign_interpreter", "75", FRIDAY)
    }
    assert (slots[9], slots[10], slots[11], slots[12]) == (2, 1, 1, 2)
    event = await bookings.request(second, "sign_interpreter", local(FRIDAY, 11), 1, region="75")
    free = hours_of(await bookings.free_slots("sign_interpreter", "75", FRIDAY))
    assert 11 not in free and 10 in free
    with pytest.raises(SlotFull):
        await bookings.request(
            await make_person("deaf"), "sign_interpreter", local(FRIDAY, 11), 1, region="75"
        )
    two_hours = hours_of(await bookings.free_slots("sign_interpreter", "75", FRIDAY, hours=2))
    assert 10 not in two_hours and 11 not in two_hours and 9 in two_hours
    await bookings.cancel(second, event.booking.id)
    assert 11 in hours_of(await bookings.free_slots("sign_interpreter", "75", FRIDAY))


async def test_declining_gives_the_place_back(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("mobility")
    event = await bookings.request(
        person, "personal_assistant", local(FRIDAY, 9), 1, region="75", group=1
    )
    assert 9 not in hours_of(await bookings.free_slots("personal_assistant", "75", FRIDAY))
    await bookings.decline(event.booking.id, "staff:1", "No assistant that morning")
    assert 9 in hours_of(await bookings.free_slots("personal_assistant", "75", FRIDAY))


async def test_past_slots_are_not_offered_nor_booked(
    bookings: BookingService, clock: ManualClock, make_person: MakePerson
) -> None:
    clock.tick((local(FRIDAY, 11, 30) - clock.now()).total_seconds())
    assert hours_of(await bookings.free_slots("sign_interpreter", "75", FRIDAY))[0] == 12
    with pytest.raises(InThePast):
        await bookings.request(
            await make_person("deaf"), "sign_interpreter", local(FRIDAY, 11), 1, region="75"
        )


async def test_a_range_of_days_skips_the_weekend(bookings: BookingService) -> None:
    assert await bookings.free_slots("sign_interpreter", "75", SATURDAY) == []
    slots = await bookings.free_slots("sign_interpreter", "75", FRIDAY, MONDAY)
    assert {slot.starts_local.date() for slot in slots} == {FRIDAY, MONDAY}
    assert len(slots) == 18


async def test_times_outside_working_hours_or_off_the_grid_are_refused(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("deaf")
    for moment, hours in (
        (local(SATURDAY, 10), 1),
        (local(FRIDAY, 10, 30), 1),
        (local(FRIDAY, 17), 2),
        (local(FRIDAY, 20), 1),
    ):
        with pytest.raises(OutsideHours):
            await bookings.request(person, "sign_interpreter", moment, hours, region="75")
    with pytest.raises(OutsideHours):
        await bookings.request(
            await make_person("mobility"),
            "personal_assistant",
            local(FRIDAY, 12),
            2,
            region="75",
            group=1,
        )
    with pytest.raises(TimeRequired):
        await bookings.request(person, "sign_interpreter", None, 1, region="75")


async def test_regions_are_matched_by_kato_prefix(
    bookings: BookingService, make_person: MakePerson
) -> None:
    assert await bookings.free_slots("sign_interpreter", "751110000", FRIDAY)
    assert await bookings.free_slots("sign_interpreter", "71", FRIDAY) == []
    with pytest.raises(NoProvider):
        await bookings.request(
            await make_person("deaf"), "sign_interpreter", local(FRIDAY, 10), 1, region="71"
        )
