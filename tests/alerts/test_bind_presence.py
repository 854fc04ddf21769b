"""Processes bound to the SMS centre say so in the database, on their clock (issue 17, 7)."""

from __future__ import annotations

import asyncio

from alerts.channels.bind_presence import (
    LAPSE_SECONDS,
    RENEW_SECONDS,
    announce,
    keep_announced,
    others_bound,
)
from core.clock import ManualClock
from core.database import SessionFactory
from tests.waiting import until

BIND = "127.0.0.1:2775/komek"


async def _others(
    sessions: SessionFactory, clock: ManualClock, process: str = "cli:1"
) -> list[str]:
    async with sessions() as session:
        return await others_bound(session, process=process, bind=BIND, clock=clock)


async def test_a_bound_process_is_seen_until_its_row_lapses(
    sessions: SessionFactory, clock: ManualClock
) -> None:
    async with sessions.begin() as session:
        await announce(session, process="worker:7", bind=BIND, clock=clock, seconds=LAPSE_SECONDS)
        await announce(
            session, process="console:8", bind="10.0.0.9:2775/komek", clock=clock, seconds=30
        )
    assert await _others(sessions, clock) == ["worker:7"]  # another account is not the same
    assert await _others(sessions, clock, process="worker:7") == []  # nor the process itself
    clock.tick(LAPSE_SECONDS)
    assert await _others(sessions, clock) == []  # it died without a word: forgotten


async def test_the_row_is_renewed_while_bound_and_withdrawn_when_the_bind_goes(
    sessions: SessionFactory, clock: ManualClock
) -> None:
    bound = asyncio.Event()

    async def wait_bound(seconds: float) -> bool:  # as the channel's: on its clock
        if not bound.is_set():
            await clock.sleep(seconds)
        return bound.is_set()

    keeping = asyncio.create_task(
        keep_announced(
            sessions,
            clock,
            process="worker:7",
            bind=BIND,
            bound=bound.is_set,
            wait_bound=wait_bound,
        )
    )
    try:
        bound.set()
        await _next_pass(clock)
        await _settled(sessions, clock, ["worker:7"])
        for _ in range(4):  # renewed: still there long after one lapse time
            await _next_pass(clock)
        await _settled(sessions, clock, ["worker:7"])
        bound.clear()
        await _next_pass(clock)
        await _settled(sessions, clock, [])
        bound.set()
        await _next_pass(clock)
        await _settled(sessions, clock, ["worker:7"])
    finally:
        keeping.cancel()
        await asyncio.gather(keeping, return_exceptions=True)
    assert await _others(sessions, clock) == []  # a process that closes withdraws its row


async def _next_pass(clock: ManualClock) -> None:
    """Once the keeping task waits on the clock (its database work done), move it to its next
    pass; moved earlier, the clock would pass before the task starts waiting."""

    async def waiting() -> bool:
        return clock.sleepers > 0

    await until(waiting)
    await clock.advance(RENEW_SECONDS)


async def _settled(sessions: SessionFactory, clock: ManualClock, expected: list[str]) -> None:
    """The renewal's database write runs in other tasks: wait until it is there."""

    async def there() -> bool:
        return await _others(sessions, clock) == expected

    await until(there)
