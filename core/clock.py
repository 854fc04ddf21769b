"""Time is injected: production reads the system clock, tests move a clock by hand."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

_SETTLE_ROUNDS = 20
"""Loop turns `ManualClock.advance` gives woken tasks to run up to their next wait."""


class Clock(Protocol):
    """The time, injected: `SystemClock` in production, `ManualClock` in tests."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait until `monotonic()` has moved on by `seconds`."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ManualClock:
    """A clock that moves only when told to; its sleepers wake when it passes their time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._mono = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        woken = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._mono + seconds, next(self._order), woken))
        await woken

    @property
    def sleepers(self) -> int:
        """How many tasks are waiting in `sleep` now."""
        return sum(1 for _, _, woken in self._sleepers if not woken.done())

    def tick(self, seconds: float) -> None:
        """Move forward by `seconds` and wake the sleepers due by then (they run later)."""
        self._move_to(self._mono + seconds)

    async def advance(self, seconds: float) -> None:
        """Move forward by `seconds`, stopping at each sleeper's time to let it run."""
        target = self._mono + seconds
        await _settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            self._move_to(max(self._mono, self._sleepers[0][0]))
            await _settle()
        self._move_to(target)
        await _settle()

    def _move_to(self, mono: float) -> None:
        self._now += timedelta(seconds=mono - self._mono)
        self._mono = mono
        while self._sleepers and self._sleepers[0][0] <= mono:
            _, _, woken = heapq.heappop(self._sleepers)
            if not woken.done():
                woken.set_result(None)


async def _settle() -> None:
    for _ in range(_SETTLE_ROUNDS):
        await asyncio.sleep(0)


async def wait_on(
    clock: Clock, futures: Iterable[asyncio.Future[Any]], seconds: float, *, any_one: bool = False
) -> None:
    """Wait until every future (or, with `any_one`, one of them) is done or `seconds` have
    passed on `clock`; the futures are left as they are."""
    pending: set[asyncio.Future[Any]] = set(futures)
    if not pending:
        return
    timer = asyncio.ensure_future(clock.sleep(seconds))
    try:
        while pending:
            done, pending = await asyncio.wait(
                {*pending, timer}, return_when=asyncio.FIRST_COMPLETED
            )
            if timer in done or any_one:
                return
            pending.discard(timer)
    finally:
        timer.cancel()


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; SQLite hands back naive ones, which we always store in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
