"""Bookings on a fresh SQLite file per test, with test providers and people made on demand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time

import pytest

from bookings.providers import ProviderSpec
from bookings.service import BookingService
from core.clock import ManualClock
from core.database import SessionFactory
from core.localtime import LOCAL_ZONE
from core.models import Person
from core.people import People
from core.profile import Language

WEEK = ("mon", "tue", "wed", "thu", "fri")
ALL_DAY = {day: [["09:00", "18:00"]] for day in WEEK}
WITH_LUNCH = {day: [["09:00", "13:00"], ["14:00", "18:00"]] for day in WEEK}
TAXI_HOURS = {day: [["07:00", "21:00"]] for day in (*WEEK, "sat")}

PROVIDERS = [
    ProviderSpec("t-interp", "Interpreters", "75", {"sign_interpreter": 2}, ALL_DAY),
    ProviderSpec(
        "t-social",
        "Social services",
        "75",
        {"personal_assistant": 1, "sanatorium": 1, "disability_assessment": 1},
        WITH_LUNCH,
    ),
    ProviderSpec("t-taxi", "Taxi", "75", {"social_taxi": 1}, TAXI_HOURS),
    ProviderSpec(
        "t-taxi-wc", "Taxi for wheelchairs", "75", {"social_taxi": 1}, TAXI_HOURS, 60, True
    ),
]

MakePerson = Callable[..., Awaitable[Person]]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (UTC+5) moment, as a person would say it."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_ZONE)


FRIDAY = date(2026, 1, 2)
SATURDAY = date(2026, 1, 3)
MONDAY = date(2026, 1, 5)


async def seeded(sessions: SessionFactory, clock: ManualClock) -> BookingService:
    """A booking service with the test providers."""
    service = BookingService(sessions, clock)
    await service.seed_providers(PROVIDERS)
    return service


@pytest.fixture
async def bookings(sessions: SessionFactory, clock: ManualClock) -> BookingService:
    return await seeded(sessions, clock)


def person_maker(sessions: SessionFactory, clock: ManualClock) -> MakePerson:
    """Makes people with the given disability kinds, each with a new Telegram id."""
    counter = iter(range(1000, 10**6))

    async def make(*kinds: str) -> Person:
        async with sessions.begin() as session:
            person = await People(clock).create(session, next(counter), Language.EN)
            person.disability_kinds = list(kinds)
        return person

    return make


@pytest.fixture
def make_person(sessions: SessionFactory, clock: ManualClock) -> MakePerson:
    return person_maker(sessions, clock)
