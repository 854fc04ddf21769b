"""Who may book what, and what they are told when they may not."""

from __future__ import annotations

import pytest

from bookings.eligibility import Verdict
from bookings.errors import DestinationNotAllowed, NeedsInformation, NotEligible, UnknownService
from bookings.service import BookingService
from tests.bookings.conftest import FRIDAY, MakePerson, local


async def test_interpreter_is_for_deaf_hard_of_hearing_and_deafblind_people(
    bookings: BookingService, make_person: MakePerson
) -> None:
    for kind in ("deaf", "hard_of_hearing", "deafblind"):
        assert bookings.eligibility(await make_person(kind), "sign_interpreter").eligible
    answer = bookings.eligibility(await make_person("blind"), "sign_interpreter")
    assert answer.verdict is Verdict.NOT_ELIGIBLE
    assert answer.reason == "booking.eligibility.hearing.reason"
    assert answer.instead == "booking.eligibility.hearing.instead"


async def test_undeclared_kinds_are_asked_for_not_refused(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person()
    answer = bookings.eligibility(person, "sign_interpreter")
    assert answer.verdict is Verdict.NEEDS_INFORMATION
    assert answer.ask == "booking.eligibility.ask_kinds"
    with pytest.raises(NeedsInformation) as raised:
        await bookings.request(person, "sign_interpreter", local(FRIDAY, 10), 1, region="75")
    assert raised.value.params == {"question": "booking.eligibility.ask_kinds"}


async def test_personal_assistant_needs_mobility_and_group_one(
    bookings: BookingService, make_person: MakePerson
) -> None:
    mobile = await make_person("mobility")
    assert bookings.eligibility(mobile, "personal_assistant").ask == "booking.eligibility.ask_group"
    assert bookings.eligibility(mobile, "personal_assistant", group=1).eligible
    refused = bookings.eligibility(mobile, "personal_assistant", group=2)
    assert refused.reason == "booking.eligibility.group1.reason"
    assert refused.instead == "booking.eligibility.group1.instead"
    deaf = await make_person("deaf")
    assert (
        bookings.eligibility(deaf, "personal_assistant", group=1).reason
        == "booking.eligibility.mobility.reason"
    )
    with pytest.raises(NotEligible) as raised:
        await bookings.request(
            mobile, "personal_assistant", local(FRIDAY, 10), 2, region="75", group=3
        )
    assert raised.value.key == "booking.error.not_eligible"
    assert raised.value.params["instead"] == "booking.eligibility.group1.instead"
    event = await bookings.request(
        mobile, "personal_assistant", local(FRIDAY, 10), 2, region="75", group=1
    )
    assert event.booking.provider_id == "t-social"


async def test_social_taxi_goes_only_to_listed_destinations(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("blind")
    for destination in (None, "shop"):
        with pytest.raises(DestinationNotAllowed):
            await bookings.request(
                person, "social_taxi", local(FRIDAY, 8), region="75", destination_kind=destination
            )
    event = await bookings.request(
        person,
        "social_taxi",
        local(FRIDAY, 8),
        region="75",
        destination_kind="medical",
        address="Clinic 5, Abay avenue",
        latitude=43.24,
        longitude=76.91,
    )
    assert event.booking.hours == 1
    assert event.booking.destination_kind == "medical"
    assert event.booking.provider_id == "t-taxi"


async def test_wheelchair_taxi_goes_to_a_provider_with_accessible_cars(
    bookings: BookingService, make_person: MakePerson
) -> None:
    person = await make_person("mobility")
    event = await bookings.request(
        person,
        "social_taxi",
        local(FRIDAY, 8),
        region="75",
        destination_kind="work",
        wheelchair=True,
    )
    assert event.booking.provider_id == "t-taxi-wc"
    assert event.booking.wheelchair


async def test_requests_without_a_slot(bookings: BookingService, make_person: MakePerson) -> None:
    nobody_yet = await make_person()
    event = await bookings.request(nobody_yet, "disability_assessment", purpose="first time")
    assert event.key == "booking.event.untimed.requested"
    assert (event.booking.starts_at, event.booking.hours, event.booking.provider_id) == (
        None,
        0,
        None,
    )
    person = await make_person("mobility")
    event = await bookings.request(person, "sanatorium", region="751110000")
    assert event.booking.provider_id == "t-social"
    assert event.status == "requested"


async def test_an_unknown_service_is_an_error(
    bookings: BookingService, make_person: MakePerson
) -> None:
    with pytest.raises(UnknownService):
        await bookings.request(await make_person("deaf"), "massage", local(FRIDAY, 10))
    with pytest.raises(UnknownService):
        bookings.eligibility(await make_person("deaf"), "massage")
