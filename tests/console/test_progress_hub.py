"""The progress hub: one reader per alert however many watch, changes only, paced reads."""

from __future__ import annotations

import asyncio

import pytest

from console.progress import Pacing, ProgressHub
from core.clock import SystemClock

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


async def test_two_watchers_share_one_reader_and_see_the_same_figures() -> None:
    figures = Figures()
    hub = ProgressHub(figures.read, SystemClock(), FAST)
    async with hub.watch(1) as first, hub.watch(1) as second:
        assert await first.next(1.0) == 0
        assert await second.next(1.0) == 0
        await asyncio.sleep(0.5)
        # one reader every 50 ms (slowing once nothing changes), not one per watcher
        assert figures.reads[1] <= 11
        figures.values[1] = 7
        assert await first.next(2.0) == 7
        assert await second.next(2.0) == 7
        assert first.version == second.version == 2


async def test_a_watcher_gets_only_changes_and_skips_to_the_newest() -> None:
    figures = Figures()
    hub = ProgressHub(figures.read, SystemClock(), FAST)
    async with hub.watch(1) as watch:
        assert await watch.next(1.0) == 0
        assert await watch.next(0.3) is None  # nothing changed: a heartbeat's worth of quiet
        for value in (1, 2, 3):
            figures.values[1] = value
            await asyncio.sleep(0.12)
        assert await watch.next(1.0) == 3


async def test_reading_stops_when_the_last_watcher_leaves() -> None:
    figures = Figures()
    hub = ProgressHub(figures.read, SystemClock(), FAST)
    async with hub.watch(5) as watch:
        await watch.next(1.0)
    assert hub.watchers(5) == 0
    reads = figures.reads[5]
    await asyncio.sleep(0.3)
    assert figures.reads[5] == reads


async def test_a_failed_read_is_tried_again() -> None:
    figures = Figures()
    figures.failures = 1
    figures.values[2] = 4
    hub = ProgressHub(figures.read, SystemClock(), FAST)
    async with hub.watch(2) as watch:
        assert await watch.next(2.0) == 4


async def test_closing_wakes_every_watcher() -> None:
    figures = Figures()
    hub = ProgressHub(figures.read, SystemClock(), FAST)
    async with hub.watch(3) as watch:
        await watch.next(1.0)
        waiting = asyncio.create_task(watch.next(30.0))
        await asyncio.sleep(0.05)
        await hub.close()
        assert await asyncio.wait_for(waiting, 1.0) is None
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
