"""The bot passes its own session: no second connection is needed, refusals change nothing."""

from __future__ import annotations

import asyncio

import pytest

from bookings.errors import SlotFull
from bookings.service import BookingService
from core.database import SessionFactory
from tests.bookings.conftest import MONDAY, MakePerson, local


async def test_inside_the_callers_transaction(
    bookings: BookingService, make_person: MakePerson, sessions: SessionFactory
) -> None:
    first, second, third = [await make_person("deaf") for _ in range(3)]
    at = local(MONDAY, 10)

    async def turn() -> None:
        async with sessions.begin() as session:
            await bookings.request(first, "sign_interpreter", at, 2, region="75", session=session)
            await bookings.request(second, "sign_interpreter", at, 1, region="75", session=session)
            with pytest.raises(SlotFull):
                await bookings.request(
                    third, "sign_interpreter", local(MONDAY, 9), 2, region="75", session=session
                )
            assert await bookings.remaining_hours(third, session=session) == 60
            mine = await bookings.my_bookings(first, active_only=True, session=session)
            assert [booking.hours for booking in mine] == [2]

    # SQLite has one pooled connection: a second session inside the turn would wait forever.
    await asyncio.wait_for(turn(), 10)
    assert await bookings.remaining_hours(first) == 58
    assert await bookings.remaining_hours(third) == 60
    free = {
        s.starts_local.hour: s.free
        for s in await bookings.free_slots("sign_interpreter", "75", MONDAY)
    }
    assert (free[9], free[11]) == (2, 1)
    assert 10 not in free
