"""Waiting in a test for something another task, thread or process brings about."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.clock import ManualClock

T = TypeVar("T")


async def until(
    condition: Callable[[], Awaitable[bool]], seconds: float = 10.0, *, every: float = 0.01
) -> None:
    """Poll `condition` every `every` seconds until it holds; fail if not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(every)


async def on_clock(
    clock: ManualClock,
    work: Awaitable[T],
    *,
    step: float = 0.05,
    busy: Callable[[], bool] = lambda: False,
    seconds: float = 60.0,
) -> T:
    """Await `work` while moving `clock` `step` seconds at a time (stopping at every sleeper),
    but only while `busy()` is false: an answer another thread or process is still to give
    is waited for first, so the clock never runs ahead of it. Fail after `seconds` of real time.
    """
    task = asyncio.ensure_future(work)
    deadline = time.monotonic() + seconds
    while not task.done():
        assert time.monotonic() < deadline, "timed out"
        if busy():
            await asyncio.sleep(0.001)
        else:
            await clock.advance(step)
    return task.result()
