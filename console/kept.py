"""Results kept for a few seconds and shared by every caller: one computation per key at a time.

The alert page's map and chart are asked for by every viewer of an alert, during a send whose
fan-out runs in the same process. Kept here, a fresh drawing is made at most once per window
for all of them, and callers who ask while it is being made wait for that one.
Time comes from the injected clock (`monotonic()`), so tests move it by hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from core.clock import Clock

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MOST = 256
"""Entries kept at most; the oldest go first beyond that."""


class Kept(Generic[K, V]):
    """`await kept.get(key, make)`: `make()`'s result for `key`, made again after `seconds`."""

    def __init__(self, clock: Clock, seconds: float) -> None:
        self.clock = clock
        self.seconds = seconds
        self.made = 0
        """How many times a result was made (not found kept): for tests and benchmarks."""
        self._kept: dict[K, tuple[float, V]] = {}
        self._making: dict[K, asyncio.Future[V]] = {}

    async def get(self, key: K, make: Callable[[], Awaitable[V]]) -> V:
        found = self._kept.get(key)
        if found is not None and self.clock.monotonic() - found[0] < self.seconds:
            return found[1]
        making = self._making.get(key)
        if making is None:
            # a task of its own: a caller who leaves (a closed page) does not stop it for others
            making = self._making[key] = asyncio.create_task(self._make(key, make))
            making.add_done_callback(_retrieved)
        return await asyncio.shield(making)

    async def _make(self, key: K, make: Callable[[], Awaitable[V]]) -> V:
        try:
            value = await make()
        finally:
            del self._making[key]
        self.made += 1
        self._keep(key, value)
        return value

    def forget(self, key: K) -> None:
        self._kept.pop(key, None)

    def _keep(self, key: K, value: V) -> None:
        self._kept.pop(key, None)
        self._kept[key] = (self.clock.monotonic(), value)
        while len(self._kept) > MOST:
            del self._kept[next(iter(self._kept))]


def _retrieved(task: asyncio.Task[V]) -> None:
    """Its failure is raised to the callers waiting; none may be left to see it."""
    if not task.cancelled():
        task.exception()
