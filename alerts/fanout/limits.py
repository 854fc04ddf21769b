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
    """Keeps sending under a channel's rate and one message a second per chat."""

    async def acquire(self, lane: str, chat: str | None) -> None:
        """Wait until one more message may go out on `lane` (and to `chat`, if given)."""

    async def pause(self, lane: str, seconds: float) -> None:
        """Hold every sender on `lane` for `seconds` (Telegram said retry_after)."""


class Pace:
    """At most `rate` turns in any second, evenly spaced, in the order they are asked for.

    Each caller is given its own moment (`reserve`) and sleeps until then, so any number of
    turns fall due in one pass of the event loop: a busy loop delays sends a little but does
    not lower the rate, as a limiter that wakes its waiters one after the other would. Turns
    that a stalled loop lets out late come closer together than planned, so each is also
    checked against the turns actually taken in the last second (`take`), which is how
    Telegram counts.
    """

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._limit = max(1, int(rate))
        self._next = 0.0
        self._taken: deque[float] = deque()
        self.unused = 0.0
        """Seconds of turns that fell due with nobody waiting for them, outside pauses: lost
        to the rate because the senders had no rows ready (counted at the next `reserve`)."""

    def reserve(
        self, now: float, not_before: float = 0.0, paused: tuple[float, float] = (0.0, 0.0)
    ) -> float:
        """The moment of the next free turn, at `now` or later, taken for the caller.
        `paused`: the lane's last pause (start, end), time not counted as `unused`."""
        if self._next and now > self._next:
            start, end = paused
            overlap = max(0.0, min(now, end) - max(self._next, start))
            self.unused += now - self._next - overlap
        turn = max(now, not_before, self._next)
        self._next = turn + self._interval
        return turn

    def take(self, now: float) -> float:
        """Use a turn at `now`: 0.0 if the last second has room, else when it will have."""
        taken = self._taken
        while taken and now - taken[0] >= 1.0:
            taken.popleft()
        if len(taken) >= self._limit:
            return taken[0] + 1.0
        taken.append(now)
        return 0.0


class LocalLimiter:
    """Limits for one process, timed on `clock` (tests move a ManualClock)."""

    def __init__(self, rates: dict[str, float], clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._paces = {lane: Pace(rate) for lane, rate in rates.items() if rate > 0}
        self._paused_until: dict[str, float] = {}
        self._paused: dict[str, float] = {}
        self._last_pause: dict[str, tuple[float, float]] = {}
        self._chat_next: dict[str, float] = {}
        self._next_cleanup = 0.0

    async def acquire(self, lane: str, chat: str | None) -> None:
        """Wait, on the clock, for the next turn on `lane` (and for `chat`, one a second)."""
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
        not_before = 0.0
        while True:
            paused = self._paused_until.get(lane, 0.0)
            turn = max(now, paused, not_before)
            if pace is not None:
                turn = pace.reserve(now, turn, self._last_pause.get(lane, (0.0, 0.0)))
            if turn > now:
                await self._clock.sleep(turn - now)
                now = self._clock.monotonic()
            if self._paused_until.get(lane, 0.0) > paused:
                continue  # the lane was paused while this turn waited: a new turn after it
            not_before = pace.take(now) if pace is not None else 0.0
            if not not_before:
                return

    async def pause(self, lane: str, seconds: float) -> None:
        """Hold `lane` for `seconds` from now (a longer pause already set is kept)."""
        now = self._clock.monotonic()
        until = now + seconds
        paused_until = self._paused_until.get(lane, 0.0)
        self._paused[lane] = self._paused.get(lane, 0.0) + max(0.0, until - max(now, paused_until))
        if until > paused_until:
            start = self._last_pause[lane][0] if paused_until > now else now
            self._last_pause[lane] = (start, until)
        self._paused_until[lane] = max(paused_until, until)

    def lost_seconds(self, lane: str) -> tuple[float, float]:
        """Where `lane`'s rate went unused: (seconds of turns nobody was waiting for, seconds
        the lane was paused because the channel said to wait). bench/fanout.py prints them."""
        pace = self._paces.get(lane)
        return (pace.unused if pace is not None else 0.0), self._paused.get(lane, 0.0)

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
        """Wait until the lane is not paused and Redis's windows for `chat` and `lane` have room."""
        await self._wait_pause(lane)
        if chat is not None:
            await self._hit(self._chat_item, "chat", chat)
        item = self._items.get(lane)
        if item is not None:
            await self._hit(item, "lane", lane)

    async def pause(self, lane: str, seconds: float) -> None:
        """Hold `lane` for `seconds`, for every worker (a key in Redis that expires)."""
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
        """Close the Redis connections."""
        await self._redis.aclose()
        await self._pool.aclose()


def _async_url(url: str) -> str:
    return url if url.startswith("async+") else f"async+{url}"
