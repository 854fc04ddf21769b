"""Send limits in one process: a global rate per lane, one message a second per chat, and
Telegram's retry_after honoured by the whole lane."""

from __future__ import annotations

import asyncio
import time

from alerts.fanout.limits import LocalLimiter


async def test_lane_rate_is_kept_without_bursts() -> None:
    limiter = LocalLimiter({"telegram": 200})
    started = time.monotonic()
    for number in range(100):
        await limiter.acquire("telegram", str(number))
    elapsed = time.monotonic() - started
    assert elapsed >= 0.4  # 100 messages at 200 a second: no burst of a whole second


async def test_one_message_a_second_to_the_same_chat() -> None:
    limiter = LocalLimiter({})
    started = time.monotonic()
    await asyncio.gather(*(limiter.acquire("telegram", "42") for _ in range(3)))
    assert time.monotonic() - started >= 1.9


async def test_retry_after_holds_the_whole_lane() -> None:
    limiter = LocalLimiter({"telegram": 100})
    await limiter.pause("telegram", 0.5)
    started = time.monotonic()
    await limiter.acquire("telegram", None)
    assert time.monotonic() - started >= 0.45  # the whole lane waited
    await limiter.acquire("sms", None)  # other lanes are not held
