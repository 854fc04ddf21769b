"""One poller per followed alert, shared by everyone watching it; watchers get changes only.

However many dispatchers watch the same alert, its figures are read at most a few times a
second, less often when a read is slow (a big alert on a busy database: reading never takes
more than a set share of the time) or when nothing has changed for a while. A watcher that
falls behind skips to the newest figures instead of queueing old ones. The poller stops when
the last watcher leaves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import structlog

from core.clock import Clock

log = structlog.get_logger(__name__)

Snapshot = TypeVar("Snapshot")


@dataclass(frozen=True)
class Pacing:
    """How often an alert's figures are read."""

    fastest: float = 0.25
    """Seconds between reads while the figures change."""
    slowest: float = 2.0
    """Seconds between reads once nothing has changed for a while (and after a failed read)."""
    quiet_reads: int = 8
    """Unchanged reads in a row before slowing down (doubling up to `slowest`)."""
    read_share: float = 0.2
    """At most this share of the time is spent reading (waiting for the database included),
    however slow a read: reads never come less often than every `slowest` seconds."""

    def pause(self, read_seconds: float, unchanged: int) -> float:
        """Seconds to wait before the next read."""
        pause = self.fastest
        if unchanged >= self.quiet_reads:
            pause = min(self.slowest, self.fastest * 2 ** (unchanged - self.quiet_reads + 1))
        by_cost = min(self.slowest, read_seconds / self.read_share - read_seconds)
        return max(pause, by_cost)


class _Poll(Generic[Snapshot]):
    """The newest figures of one alert, and who is waiting for them to change."""

    def __init__(self) -> None:
        self.latest: Snapshot | None = None
        self.read_at: datetime | None = None
        """When the read that gave `latest` began."""
        self.version = 0
        self.watchers = 0
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def publish(self, snapshot: Snapshot, read_at: datetime) -> None:
        self.latest = snapshot
        self.read_at = read_at
        self.version += 1
        self.wake()

    def wake(self) -> None:
        changed, self.changed = self.changed, asyncio.Event()
        changed.set()


class Watch(Generic[Snapshot]):
    """One watcher of one alert: `await next(within)` gives figures it has not seen yet."""

    def __init__(self, hub: ProgressHub[Snapshot], poll: _Poll[Snapshot]) -> None:
        self._hub = hub
        self._poll = poll
        self._seen = 0
        self._read_at: datetime | None = None

    @property
    def version(self) -> int:
        """The number of the figures last handed out (an SSE event id)."""
        return self._seen

    @property
    def read_at(self) -> datetime | None:
        """When the figures last handed out were read (what "as of" means on the page)."""
        return self._read_at

    @property
    def closed(self) -> bool:
        return self._hub.closed

    async def next(self, within: float) -> Snapshot | None:
        """The newest figures once they differ from those last given; None after `within` s."""
        if not self._fresh():
            changed = asyncio.ensure_future(self._poll.changed.wait())
            quiet = asyncio.ensure_future(self._hub.clock.sleep(within))
            try:
                await asyncio.wait((changed, quiet), return_when=asyncio.FIRST_COMPLETED)
            finally:
                changed.cancel()
                quiet.cancel()
            if not changed.done() or changed.cancelled():
                return None
        if not self._fresh():
            return None  # woken by closing
        self._seen = self._poll.version
        self._read_at = self._poll.read_at
        return self._poll.latest

    def _fresh(self) -> bool:
        return self._poll.version > self._seen and self._poll.latest is not None


class ProgressHub(Generic[Snapshot]):
    """Pollers by alert id, started by the first watcher and stopped after the last."""

    def __init__(
        self,
        read: Callable[[int], Awaitable[Snapshot]],
        clock: Clock,
        pacing: Pacing | None = None,
    ) -> None:
        self._read = read
        self.clock = clock
        """Reads are timed and paced by it; tests pass a ManualClock."""
        self._pacing = pacing or Pacing()
        self._polls: dict[int, _Poll[Snapshot]] = {}
        self.closed = False

    def watchers(self, alert_id: int) -> int:
        poll = self._polls.get(alert_id)
        return poll.watchers if poll else 0

    @asynccontextmanager
    async def watch(self, alert_id: int) -> AsyncIterator[Watch[Snapshot]]:
        """Follow one alert for as long as the block lasts."""
        poll = self._polls.get(alert_id)
        if poll is None:
            poll = self._polls[alert_id] = _Poll()
        poll.watchers += 1
        if poll.task is None and not self.closed:
            poll.task = asyncio.create_task(self._run(alert_id, poll))
        try:
            yield Watch(self, poll)
        finally:
            poll.watchers -= 1
            if poll.watchers == 0 and self._polls.get(alert_id) is poll:
                del self._polls[alert_id]
                if poll.task is not None:
                    poll.task.cancel()

    async def close(self) -> None:
        """Stop every poller and wake every watcher (the server is stopping)."""
        self.closed = True
        polls = list(self._polls.values())
        tasks = [poll.task for poll in polls if poll.task is not None]
        for task in tasks:
            task.cancel()
        for poll in polls:
            poll.wake()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, alert_id: int, poll: _Poll[Snapshot]) -> None:
        unchanged = 0
        while True:
            started = self.clock.monotonic()
            read_at = self.clock.now()
            try:
                snapshot = await self._read(alert_id)
            except Exception as error:  # a failed read must not end the page's updates
                log.warning("progress_read_failed", alert_id=alert_id, error=type(error).__name__)
                await self.clock.sleep(self._pacing.slowest)
                continue
            took = self.clock.monotonic() - started
            if poll.version == 0 or snapshot != poll.latest:
                poll.publish(snapshot, read_at)
                unchanged = 0
            else:
                unchanged += 1
            await self.clock.sleep(self._pacing.pause(took, unchanged))
