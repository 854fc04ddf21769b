"""Twenty people at once for the last hours or the last place: never over-booked.

On SQLite (one pooled connection, a fresh file per test) and on PostgreSQL (a normal pool,
so the requests really run in parallel transactions).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import date
from itertools import count

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bookings.errors import BookingError, QuotaExceeded, SlotFull
from bookings.models import Booking, QuotaUsage, SlotUsage
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.settings import Settings
from tests.bookings.conftest import MONDAY, local, person_maker, seeded
from tests.conftest import need
from tests.servers.postgres import postgres_bin, running_postgres

DAYS = [date(2026, 1, day) for day in (5, 6, 7, 8, 9, 12, 13, 14, 15, 16)]


async def outcomes(requests: list) -> list[str]:  # type: ignore[type-arg]
    results = await asyncio.gather(*requests, return_exceptions=True)
    names = []
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, BookingError):
            raise result
        names.append(type(result).__name__)
    return names


async def last_hours(sessions: SessionFactory, clock: ManualClock) -> None:
    """57 hours used; twenty one-hour requests at different times: exactly three succeed."""
    bookings = await seeded(sessions, clock)
    person = await person_maker(sessions, clock)("deaf")
    for day in DAYS[:7]:
        await bookings.request(person, "sign_interpreter", local(day, 9), 8, region="75")
    await bookings.request(person, "sign_interpreter", local(DAYS[7], 9), 1, region="75")
    slots = [local(day, hour) for day in DAYS[7:] for hour in range(10, 17)][:20]
    names = await outcomes(
        [bookings.request(person, "sign_interpreter", at, 1, region="75") for at in slots]
    )
    assert names.count("BookingEvent") == 3
    assert names.count(QuotaExceeded.__name__) == 17
    assert await bookings.remaining_hours(person, 2026) == 0
    async with sessions() as session:
        held = await session.scalar(
            select(func.sum(Booking.hours)).where(Booking.person_id == person.id)
        )
        used = await session.scalar(select(QuotaUsage.used))
    assert held == used == 60


async def last_place(sessions: SessionFactory, clock: ManualClock) -> None:
    """A slot for two with one taken; twenty people at once: exactly one more gets it."""
    bookings = await seeded(sessions, clock)
    make = person_maker(sessions, clock)
    at = local(MONDAY, 10)
    await bookings.request(await make("deaf"), "sign_interpreter", at, 2, region="75")
    people = [await make("deaf") for _ in range(20)]
    names = await outcomes(
        [bookings.request(person, "sign_interpreter", at, 1, region="75") for person in people]
    )
    assert names.count("BookingEvent") == 1
    assert names.count(SlotFull.__name__) == 19
    async with sessions() as session:
        holders = await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.starts_at == at)
        )
        used = await session.scalar(select(SlotUsage.used).where(SlotUsage.slot_start == at))
    assert holders == used == 2
    slots = await bookings.free_slots("sign_interpreter", "75", MONDAY)
    assert 10 not in [slot.starts_local.hour for slot in slots]


async def test_last_hours_on_sqlite(sessions: SessionFactory, clock: ManualClock) -> None:
    await last_hours(sessions, clock)


async def test_last_place_on_sqlite(sessions: SessionFactory, clock: ManualClock) -> None:
    await last_place(sessions, clock)


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    with running_postgres() as url:
        yield url


DATABASES = count(1)


@pytest.fixture
async def pg_sessions(postgres: str) -> AsyncIterator[SessionFactory]:
    """A fresh database on the module's PostgreSQL server, migrated to the head."""
    name = f"bookings_{next(DATABASES)}"
    admin = create_async_engine(postgres, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f"CREATE DATABASE {name}"))
    await admin.dispose()
    url = postgres.rsplit("/", 1)[0] + f"/{name}"
    engine = create_engine(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
    await upgrade(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.mark.postgres
async def test_last_hours_on_postgresql(pg_sessions: SessionFactory, clock: ManualClock) -> None:
    await last_hours(pg_sessions, clock)


@pytest.mark.postgres
async def test_last_place_on_postgresql(pg_sessions: SessionFactory, clock: ManualClock) -> None:
    await last_place(pg_sessions, clock)
