"""Send limits in one process: a global rate per lane, one message a second per chat, and
Telegram's retry_after honoured by the whole lane."""

from __future__ import annotations

import asyncio
import time

import pytest

from alerts.fanout.limits import LocalLimiter, Pace


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


def test_turns_are_evenly_spaced_in_the_order_asked() -> None:
    pace = Pace(100)
    turns = [pace.reserve(now=5.0) for _ in range(5)]
    assert turns == pytest.approx([5.0, 5.01, 5.02, 5.03, 5.04])
    assert pace.reserve(now=9.0) == 9.0  # an idle lane starts again at once, no burst saved up
    assert pace.reserve(now=9.0, not_before=12.0) == 12.0


def test_no_second_holds_more_turns_than_the_rate() -> None:
    pace = Pace(3)
    assert [pace.take(now) for now in (0.0, 0.1, 0.2)] == [0.0, 0.0, 0.0]
    assert pace.take(0.3) == 1.0  # the fourth must wait until the first leaves the window
    assert pace.take(1.0) == 0.0


async def test_turns_falling_due_together_go_out_together() -> None:
    """After the event loop was busy, every turn that came due goes out in the next passes,
    not one per pass: a busy loop delays messages but does not lower the rate."""
    limiter = LocalLimiter({"telegram": 1000})
    granted: list[int] = []

    async def send(number: int) -> None:
        await limiter.acquire("telegram", str(number))
        granted.append(number)

    tasks = [asyncio.create_task(send(number)) for number in range(50)]
    await asyncio.sleep(0)  # every sender has its turn, 1 ms apart
    time.sleep(0.08)  # the loop is busy for longer than all fifty turns  # noqa: ASYNC251
    for _ in range(3):
        await asyncio.sleep(0)
    assert sorted(granted) == list(range(50))
    await asyncio.gather(*tasks)


async def test_a_late_burst_still_keeps_to_the_rate_over_any_second() -> None:
    limiter = LocalLimiter({"telegram": 20})
    granted: list[float] = []

    async def send(number: int) -> None:
        await limiter.acquire("telegram", str(number))
        granted.append(time.monotonic())

    tasks = [asyncio.create_task(send(number)) for number in range(30)]
    await asyncio.sleep(0)
    time.sleep(0.5)  # half a second of turns fall due at once  # noqa: ASYNC251
    await asyncio.gather(*tasks)
    for index, start in enumerate(granted):
        assert sum(1 for moment in granted[index:] if moment - start < 1.0) <= 20
