"""Sign-language interpreter hours: at most 60 in a calendar year, counted in local time."""

from __future__ import annotations

from datetime import date

import pytest

from bookings.errors import HoursOutOfRange, QuotaExceeded
from bookings.service import BookingService
from core.models import Person
from tests.bookings.conftest import MakePerson, local

WEEKDAYS_2026 = [date(2026, 1, day) for day in (5, 6, 7, 8, 9, 12, 13, 14, 15, 16)]


async def book_56_hours(bookings: BookingService, person: Person) -> list[int]:
    ids = []
    for day in WEEKDAYS_2026[:7]:
        event = await bookings.request(person, "sign_interpreter", local(day, 9), 8, region="75")
        ids.append(event.booking.id)
    return ids


async def test_sixty_hours_and_not_one_more(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("deaf")
    ids = await book_56_hours(bookings, person)
    assert await bookings.remaining_hours(person, 2026) == 4
    with pytest.raises(QuotaExceeded) as raised:
        await bookings.request(
            person, "sign_interpreter", local(WEEKDAYS_2026[7], 9), 5, region="75"
        )
    assert raised.value.params == {"remaining": 4, "year": 2026}
    assert raised.value.key == "booking.error.quota_exceeded"
    event = await bookings.request(
        person, "sign_interpreter", local(WEEKDAYS_2026[7], 9), 4, region="75"
    )
    assert event.params["remaining"] == 0
    assert await bookings.remaining_hours(person, 2026) == 0
    with pytest.raises(QuotaExceeded) as raised:
        await bookings.request(
            person, "sign_interpreter", local(WEEKDAYS_2026[8], 9), 1, region="75"
        )
    assert raised.value.params["remaining"] == 0
    await bookings.cancel(person, ids[0])
    assert await bookings.remaining_hours(person, 2026) == 8


async def test_a_new_year_has_a_new_quota(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("deafblind")
    await book_56_hours(bookings, person)
    event = await bookings.request(
        person, "sign_interpreter", local(date(2027, 1, 1), 9), 8, region="75"
    )
    assert event.params["remaining"] == 52
    assert await bookings.remaining_hours(person, 2026) == 4
    assert await bookings.remaining_hours(person, 2027) == 52


async def test_a_booking_is_one_to_eight_hours(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("deaf")
    for hours in (0, 9):
        with pytest.raises(HoursOutOfRange) as raised:
            await bookings.request(
                person, "sign_interpreter", local(WEEKDAYS_2026[0], 9), hours, region="75"
            )
        assert raised.value.params == {"min": 1, "max": 8}
    assert await bookings.remaining_hours(person) == 60


async def test_a_declined_booking_gives_its_hours_back(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("hard_of_hearing")
    event = await bookings.request(
        person, "sign_interpreter", local(WEEKDAYS_2026[0], 9), 3, region="75"
    )
    assert await bookings.remaining_hours(person) == 57
    await bookings.decline(event.booking.id, "staff:1", "No interpreter that day")
    assert await bookings.remaining_hours(person) == 60
