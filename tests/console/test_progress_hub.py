"""The progress hub: one reader per alert however many watch, changes only, paced reads."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest

from console.progress import Pacing, ProgressHub
from core.clock import ManualClock

T = TypeVar("T")
FAST = Pacing(fastest=0.05, slowest=0.4, quiet_reads=3, read_share=0.2)


class Figures:
    """What the database says about each alert, and how often it was asked."""

    def __init__(self) -> None:
        self.values: dict[int, int] = {}
        self.reads: dict[int, int] = {}
        self.failures = 0

    async def read(self, alert_id: int) -> int:
        self.reads[alert_id] = self.reads.get(alert_id, 0) + 1
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database went away")
        return self.values.get(alert_id, 0)


async def after(clock: ManualClock, seconds: float, waiting: Awaitable[T]) -> T:
    """What `waiting` gives once the clock has moved on by `seconds` (it must be done by then)."""
    task = asyncio.ensure_future(waiting)
    await clock.advance(seconds)
    assert task.done(), f"still waiting {seconds} s later"
    return task.result()


async def test_two_watchers_share_one_reader_and_see_the_same_figures() -> None:
    figures, clock = Figures(), ManualClock()
    hub = ProgressHub(figures.read, clock, FAST)
    async with hub.watch(1) as first, hub.watch(1) as second:
        assert await after(clock, 0, first.next(1.0)) == 0
        assert await after(clock, 0, second.next(1.0)) == 0
        await clock.advance(0.5)
        # One reader, not one per watcher: every 50 ms, then slower once nothing changes
        # (reads at 0, 0.05, 0.10, 0.15, then 0.1 and 0.2 s apart: 0.25, 0.45).
        assert figures.reads[1] == 6
        figures.values[1] = 7
        assert await after(clock, 0.4, first.next(2.0)) == 7  # the next read, at 0.85
        assert await after(clock, 0, second.next(2.0)) == 7
        assert first.version == second.version == 2
        assert figures.reads[1] == 7


async def test_a_watcher_gets_only_changes_and_skips_to_the_newest() -> None:
    figures, clock = Figures(), ManualClock()
    hub = ProgressHub(figures.read, clock, FAST)
    async with hub.watch(1) as watch:
        assert await after(clock, 0, watch.next(1.0)) == 0
        assert await after(clock, 0.3, watch.next(0.3)) is None  # nothing changed: quiet
        for value in (1, 2, 3):
            figures.values[1] = value
            await clock.advance(0.12)
        # 1 was never read (set at 0.30, 2 at 0.42, the read at 0.45 saw 2, 0.55 saw 3).
        assert await after(clock, 0, watch.next(1.0)) == 3
        assert watch.version == 3


async def test_reading_stops_when_the_last_watcher_leaves() -> None:
    figures, clock = Figures(), ManualClock()
    hub = ProgressHub(figures.read, clock, FAST)
    async with hub.watch(5) as watch:
        await after(clock, 0, watch.next(1.0))
    assert hub.watchers(5) == 0
    reads = figures.reads[5]
    await clock.advance(10)
    assert figures.reads[5] == reads
    assert clock.sleepers == 0


async def test_a_failed_read_is_tried_again_after_the_slowest_pause() -> None:
    figures, clock = Figures(), ManualClock()
    figures.failures = 1
    figures.values[2] = 4
    hub = ProgressHub(figures.read, clock, FAST)
    async with hub.watch(2) as watch:
        waiting = asyncio.ensure_future(watch.next(2.0))
        await clock.advance(FAST.slowest - 0.01)
        assert not waiting.done() and figures.reads[2] == 1
        assert await after(clock, 0.01, waiting) == 4


async def test_closing_wakes_every_watcher() -> None:
    figures, clock = Figures(), ManualClock()
    hub = ProgressHub(figures.read, clock, FAST)
    async with hub.watch(3) as watch:
        await after(clock, 0, watch.next(1.0))
        waiting = asyncio.ensure_future(watch.next(30.0))
        await clock.advance(0)
        assert not waiting.done()
        await hub.close()
        assert await after(clock, 0, waiting) is None
        assert watch.closed


@pytest.mark.parametrize(
    ("read_seconds", "unchanged", "pause"),
    [
        (0.01, 0, 0.25),  # a cheap read, figures changing: four times a second
        (0.12, 0, 0.48),  # a slow read (100,000 rows, busy database): reading ≤ 20 % of time
        (0.01, 8, 0.5),  # quiet for a while: slower
        (0.01, 30, 2.0),  # and no slower than every two seconds
        (1.5, 0, 2.0),  # even when a read waited long for a busy database
    ],
)
def test_pacing(read_seconds: float, unchanged: int, pause: float) -> None:
    assert Pacing().pause(read_seconds, unchanged) == pytest.approx(pause)
