"""Send rates: a global rate per channel and one message a second per chat.

Telegram allows a bot about 30 messages a second (1,000 with paid broadcasts) and one a
second to the same chat, and answers 429 with `retry_after` beyond that, which stops the
whole bot for a while. Keeping under the limit is faster than hitting it. In one process each
lane hands out evenly spaced turns (`Pace`); with several workers the limits live in Redis
(`limits`' moving window), so all workers together stay under the same limit.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import BlockingConnectionPool, Redis

from core.clock import Clock, SystemClock

PER_CHAT_SECONDS = 1.0


class Limiter(Protocol):
    async def acquire(self, lane: str, chat: str | None) -> None:
        """Wait until one more message may go out on `lane` (and to `chat`, if given)."""

    async def pause(self, lane: str, seconds: float) -> None:
        """Hold every sender on `lane` for `seconds` (Telegram said retry_after)."""


CATCH_UP_SECONDS = 0.1
"""How far behind its pace a lane may fall and still catch up: turns nobody asked for in the
last 0.1 s may still be taken. A sender that waited briefly (on the database, on a busy loop)
then loses no turns; the one-second window (`Pace.take`) still caps every second."""
BURST_SPACING = 2 / 3
"""Turns that go late together (caught up, or after a stalled loop) go at least this part of
the pace's interval apart: 1.5 times the rate for a moment, never a crowd at one instant.
Telegram counts arrivals, which the network shifts by a few milliseconds each way; spread
out, a catch-up stays inside the margin kept under its limit."""


class Pace:
    """At most `rate` turns in any second, evenly spaced, in the order they are asked for.

    Each caller is given its own moment (`reserve`) and sleeps until then, so any number of
    turns fall due in one pass of the event loop: a busy loop delays sends a little but does
    not lower the rate, as a limiter that wakes its waiters one after the other would. Turns
    nobody was waiting for are kept for `catch_up` seconds, so a short gap in the senders
    costs no rate; longer gaps are lost (`idle_seconds`). Turns let out late (by a stalled
    loop, or caught up) would come together, so `take` then gives each its own moment to
    send: `spacing` of an interval after the one before, and within the rate over the
    second before it, which is how Telegram counts.
    """

    def __init__(
        self, rate: float, catch_up: float = CATCH_UP_SECONDS, spacing: float = BURST_SPACING
    ) -> None:
        self._interval = 1.0 / rate
        self._gap = self._interval * spacing
        self._last = float("-inf")
        self._limit = max(1, int(rate))
        self.catch_up = catch_up
        self._next: float | None = None
        self._taken: deque[float] = deque()
        self.idle_seconds = 0.0
        """Time whose turns went unasked and were not caught up: rate lost for good."""
        self.idle_log: list[tuple[float, float]] | None = None
        """Set to a list to have each loss kept as (from, seconds) (the bench does)."""
        self.window_waits = 0
        """Turns held back because the last second already had `rate` (see `take`)."""

    def reserve(self, now: float, not_before: float = 0.0) -> float:
        """The moment of the next free turn, taken for the caller: not before `not_before`,
        and at most `catch_up` seconds before `now` (the caller goes at once)."""
        free = self._next
        earliest = now - self.catch_up
        if free is None:
            free = now  # a lane's first turn: nothing saved up
        elif free < earliest:
            lost = earliest - free
            self.idle_seconds += lost
            if self.idle_log is not None:
                self.idle_log.append((free, lost))
            free = earliest
        turn = max(free, not_before)
        self._next = turn + self._interval
        return turn

    def take(self, now: float) -> float:
        """The moment to send a turn due now, taken for the caller: `now`, or later when the
        turn before went less than the spacing ago or the second before is full."""
        moment = max(now, self._last + self._gap)
        # A send may go up to half a gap after its moment (`on_time`): the window is counted
        # that much longer, so the sends' real moments keep to the rate too.
        window = 1.0 + self._gap / 2
        taken = self._taken
        while taken and moment - taken[0] >= window:
            taken.popleft()
        if len(taken) >= self._limit:
            self.window_waits += 1
            moment = taken.popleft() + window
        taken.append(moment)
        self._last = moment
        return moment

    def on_time(self, moment: float, now: float) -> bool:
        """Whether a send meant for `moment` is still on time at `now`: less than half the
        spacing late, so no two sends go closer than half the spacing apart."""
        return now - moment < self._gap / 2


class LocalLimiter:
    """Limits for one process, timed on `clock` (tests move a ManualClock)."""

    def __init__(
        self,
        rates: dict[str, float],
        clock: Clock | None = None,
        *,
        catch_up: float = CATCH_UP_SECONDS,
    ) -> None:
        self._clock = clock or SystemClock()
        self._paces = {lane: Pace(rate, catch_up) for lane, rate in rates.items() if rate > 0}
        self._paused_until: dict[str, float] = {}
        self._chat_next: dict[str, float] = {}
        self._next_cleanup = 0.0

    def pace(self, lane: str) -> Pace | None:
        """The pace kept on `lane`, if it has a rate (the bench reads its idle time)."""
        return self._paces.get(lane)

    async def acquire(self, lane: str, chat: str | None) -> None:
        now = self._clock.monotonic()
        if chat is not None:
            ready = max(self._chat_next.get(chat, 0.0), self._paused_until.get(lane, 0.0))
            self._chat_next[chat] = max(now, ready) + PER_CHAT_SECONDS
            if now >= self._next_cleanup:
                self._forget_old(now)
                self._next_cleanup = now + PER_CHAT_SECONDS
            if ready > now:
                await self._clock.sleep(ready - now)
                now = self._clock.monotonic()
        pace = self._paces.get(lane)
        while True:
            paused = self._paused_until.get(lane, 0.0)
            turn = max(now, paused)
            if pace is not None:
                turn = pace.reserve(now, paused)
            if turn > now:
                await self._clock.sleep(turn - now)
                now = self._clock.monotonic()
            if self._paused_until.get(lane, 0.0) > paused:
                continue  # the lane was paused while this turn waited: a new turn after it
            if pace is None or await self._send_moment(pace, now, lane, paused):
                return
            now = self._clock.monotonic()

    async def _send_moment(self, pace: Pace, now: float, lane: str, paused: float) -> bool:
        """Wait for the moment `pace` gives this turn; False if the lane was paused meanwhile.

        Woken late (the loop stalled), the turn takes a new moment: the turns that slept
        through the stall would otherwise all go at one instant."""
        moment = pace.take(now)
        while moment > now:
            await self._clock.sleep(moment - now)
            now = self._clock.monotonic()
            if self._paused_until.get(lane, 0.0) > paused:
                return False
            if pace.on_time(moment, now):
                break
            moment = pace.take(now)
        return True

    async def pause(self, lane: str, seconds: float) -> None:
        until = self._clock.monotonic() + seconds
        self._paused_until[lane] = max(self._paused_until.get(lane, 0.0), until)

    def _forget_old(self, now: float) -> None:
        for chat in [chat for chat, ready in self._chat_next.items() if ready < now]:
            del self._chat_next[chat]


class RedisLimiter:
    """Limits shared by every worker through Redis."""

    def __init__(self, redis_url: str, rates: dict[str, float], prefix: str = "komek") -> None:
        # Senders queue for a connection rather than fail when all of them are busy.
        self._pool = BlockingConnectionPool.from_url(redis_url, max_connections=32, timeout=None)
        self._storage = RedisStorage(
            _async_url(redis_url),
            implementation="redispy",
            key_prefix=f"{prefix}:limits",
            connection_pool=self._pool,  # type: ignore[arg-type]  # passed on to redis-py
        )
        self._redis = Redis(connection_pool=self._pool)
        self._window = MovingWindowRateLimiter(self._storage)
        self._items = {
            lane: RateLimitItemPerSecond(int(rate)) for lane, rate in rates.items() if rate > 0
        }
        self._chat_item = RateLimitItemPerSecond(1)
        self._prefix = prefix

    async def acquire(self, lane: str, chat: str | None) -> None:
        await self._wait_pause(lane)
        if chat is not None:
            await self._hit(self._chat_item, "chat", chat)
        item = self._items.get(lane)
        if item is not None:
            await self._hit(item, "lane", lane)

    async def pause(self, lane: str, seconds: float) -> None:
        await self._redis.set(f"{self._prefix}:pause:{lane}", "1", px=max(1, int(seconds * 1000)))

    async def _wait_pause(self, lane: str) -> None:
        key = f"{self._prefix}:pause:{lane}"
        left = await self._redis.pttl(key)
        while left > 0:
            await asyncio.sleep(left / 1000)
            left = await self._redis.pttl(key)

    async def _hit(self, item: RateLimitItemPerSecond, *identifiers: str) -> None:
        while not await self._window.hit(item, *identifiers):
            stats = await self._window.get_window_stats(item, *identifiers)
            await asyncio.sleep(max(0.001, stats.reset_time - time.time()))

    async def close(self) -> None:
        await self._redis.aclose()
        await self._pool.aclose()


def _async_url(url: str) -> str:
    return url if url.startswith("async+") else f"async+{url}"
