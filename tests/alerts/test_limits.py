"""Send limits in one process: a global rate per lane, one message a second per chat, and
Telegram's retry_after honoured by the whole lane."""

from __future__ import annotations

import asyncio

import pytest

from alerts.fanout.limits import LocalLimiter, Pace
from core.clock import ManualClock


class Sends:
    """Senders asking a limiter for turns, and the moments (on the manual clock) they got them."""

    def __init__(self, limiter: LocalLimiter, clock: ManualClock) -> None:
        self.limiter = limiter
        self.clock = clock
        self.granted: list[float] = []
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, lane: str, chats: list[str | None]) -> None:
        async def send(chat: str | None) -> None:
            await self.limiter.acquire(lane, chat)
            self.granted.append(self.clock.monotonic())

        self.tasks += [asyncio.create_task(send(chat)) for chat in chats]

    async def finish(self, seconds: float) -> list[float]:
        await self.clock.advance(seconds)
        assert all(task.done() for task in self.tasks)
        return self.granted


async def test_lane_rate_is_kept_without_bursts() -> None:
    clock = ManualClock()
    sends = Sends(LocalLimiter({"telegram": 200}, clock), clock)
    sends.start("telegram", [str(number) for number in range(100)])
    granted = await sends.finish(1.0)
    # 100 messages at 200 a second: one every 5 ms, no burst of a whole second at once.
    assert granted == pytest.approx([number * 0.005 for number in range(100)])


async def test_one_message_a_second_to_the_same_chat() -> None:
    clock = ManualClock()
    sends = Sends(LocalLimiter({}, clock), clock)
    sends.start("telegram", ["42", "42", "42", "7"])
    assert await sends.finish(5.0) == [0.0, 0.0, 1.0, 2.0]  # chat 7 is not held by chat 42


async def test_retry_after_holds_the_whole_lane() -> None:
    clock = ManualClock()
    limiter = LocalLimiter({"telegram": 100}, clock)
    await limiter.pause("telegram", 0.5)
    sends = Sends(limiter, clock)
    sends.start("telegram", [None, "42"])
    sends.start("sms", [None])  # other lanes are not held
    assert await sends.finish(2.0) == pytest.approx([0.0, 0.5, 0.51])


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
    clock = ManualClock()
    sends = Sends(LocalLimiter({"telegram": 1000}, clock), clock)
    sends.start("telegram", [str(number) for number in range(50)])
    await clock.advance(0)  # every sender has its turn, 1 ms apart
    clock.tick(0.08)  # the loop was busy for longer than all fifty turns
    for _ in range(3):  # three passes of the loop
        await asyncio.sleep(0)
    assert sends.granted == [0.0] + [0.08] * 49  # the first went at once


async def test_a_late_burst_still_keeps_to_the_rate_over_any_second() -> None:
    clock = ManualClock()
    sends = Sends(LocalLimiter({"telegram": 20}, clock), clock)
    sends.start("telegram", [str(number) for number in range(30)])
    await clock.advance(0)
    clock.tick(0.5)  # half a second of turns fall due at once
    granted = await sends.finish(3.0)
    assert len(granted) == 30
    assert granted[:11] == [0.0] + [0.5] * 10  # the turns due by 0.5 go out together, late
    for index, start in enumerate(granted):
        assert sum(1 for moment in granted[index:] if moment - start < 1.0) <= 20


async def test_turns_nobody_waited_for_and_pauses_are_counted_as_lost() -> None:
    """bench/fanout.py reads where a lane's rate went: turns with no sender ready, and the
    time the lane waited because the channel said so (retry_after)."""
    clock = ManualClock()
    limiter = LocalLimiter({"telegram": 100}, clock)
    sends = Sends(limiter, clock)
    sends.start("telegram", [None] * 10)  # turns at 0.00 … 0.09; the next falls due at 0.10
    await clock.advance(0.5)
    assert limiter.lost_seconds("telegram") == (0.0, 0.0)  # counted when a turn is asked for
    sends.start("telegram", [None])
    await clock.advance(0)
    assert limiter.lost_seconds("telegram") == pytest.approx((0.4, 0.0))

    await limiter.pause("telegram", 1.0)
    await clock.advance(0.25)
    await limiter.pause("telegram", 1.0)  # overlapping: only the quarter second more counts
    sends.start("telegram", [None] * 3)
    granted = await sends.finish(2.0)
    assert granted[-3:] == pytest.approx([1.75, 1.76, 1.77])
    assert limiter.lost_seconds("telegram") == pytest.approx((0.4, 1.25))
    assert limiter.lost_seconds("sms") == (0.0, 0.0)
