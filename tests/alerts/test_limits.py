"""Send limits in one process: a global rate per lane, one message a second per chat, and
Telegram's retry_after honoured by the whole lane."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from alerts.fanout.limits import CATCH_UP_SECONDS, LocalLimiter, Pace
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
    pace = Pace(100, catch_up=0.1)
    turns = [pace.reserve(now=5.0) for _ in range(5)]
    assert turns == pytest.approx([5.0, 5.01, 5.02, 5.03, 5.04])
    assert pace.idle_seconds == 0.0
    # Idle from 5.05 to 9.0: the last 0.1 s of turns are still there, taken at once; the
    # rest is lost.
    turns = [pace.reserve(now=9.0) for _ in range(12)]
    assert turns == pytest.approx([8.9 + number * 0.01 for number in range(12)])
    assert pace.idle_seconds == pytest.approx(8.9 - 5.05)
    assert pace.reserve(now=9.0, not_before=12.0) == 12.0


def test_without_catch_up_an_idle_lane_starts_again_at_once() -> None:
    pace = Pace(100, catch_up=0.0)
    pace.reserve(now=5.0)
    assert pace.reserve(now=9.0) == 9.0
    assert pace.reserve(now=9.0) == pytest.approx(9.01)
    assert pace.idle_seconds == pytest.approx(9.0 - 5.01)


def test_no_second_holds_more_turns_than_the_rate() -> None:
    pace = Pace(3, spacing=0.0)
    assert [pace.take(now) for now in (0.0, 0.1, 0.2)] == [0.0, 0.1, 0.2]
    assert pace.take(0.3) == 1.0  # the fourth waits until the first leaves the window
    assert pace.take(1.05) == pytest.approx(1.1)  # and the fifth until the second has
    assert pace.window_waits == 2


def test_turns_taken_together_are_spread_out() -> None:
    pace = Pace(100)  # an interval of 10 ms; late turns go at least 2/3 of it apart
    assert [pace.take(5.0) for _ in range(3)] == pytest.approx([5.0, 5.0 + 1 / 150, 5.0 + 2 / 150])
    assert pace.take(5.5) == 5.5  # an on-time turn goes at once


async def test_turns_falling_due_together_go_out_spread_and_catch_up() -> None:
    """After the event loop was busy, the turns that came due go out at 1.5 times the rate,
    not all at one instant, and not one per pass: a busy loop delays messages but does not
    lower the rate, and puts no crowd on the wire."""
    clock = ManualClock()
    sends = Sends(LocalLimiter({"telegram": 1000}, clock), clock)
    sends.start("telegram", [str(number) for number in range(50)])
    await clock.advance(0)  # every sender has its turn, 1 ms apart
    clock.tick(0.08)  # the loop was busy for longer than all fifty turns
    granted = await sends.finish(0.05)
    assert granted == pytest.approx([0.0] + [0.08 + number / 1500 for number in range(49)])


async def test_a_late_burst_still_keeps_to_the_rate_over_any_second() -> None:
    clock = ManualClock()
    sends = Sends(LocalLimiter({"telegram": 20}, clock), clock)
    sends.start("telegram", [str(number) for number in range(30)])
    await clock.advance(0)
    clock.tick(0.5)  # half a second of turns fall due at once
    granted = await sends.finish(3.0)
    assert len(granted) == 30
    # The turns due by 0.5 go out late, a third of a second apart (1.5 times the rate).
    assert granted[:11] == pytest.approx([0.0] + [0.5 + number / 30 for number in range(10)])
    for index, start in enumerate(granted):
        assert sum(1 for moment in granted[index:] if moment - start < 1.0) <= 20


async def _pausing_senders(
    catch_up: float, seed: int, *, stalls: bool, senders: int = 4, pauses: float = 0.05
) -> list[float]:
    """`senders` at 100 a second that now and then (`pauses`) pause, as when waiting on the
    database, on a loop that, with `stalls`, now and then stalls (turns let out late,
    together): the moments turns were taken."""
    clock = ManualClock()
    limiter = LocalLimiter({"telegram": 100}, clock, catch_up=catch_up)
    granted: list[float] = []
    chance = random.Random(seed)

    async def sender() -> None:
        while clock.monotonic() < 10.0:
            if chance.random() < pauses:
                await clock.sleep(
                    chance.uniform(0.01, 0.3 if stalls else 0.05)
                )  # no sender waiting meanwhile
            await limiter.acquire("telegram", None)
            granted.append(clock.monotonic())

    running = [asyncio.create_task(sender()) for _ in range(senders)]
    while clock.monotonic() < 11.0:
        await clock.advance(0.05)
        if stalls and chance.random() < 0.1:
            clock.tick(chance.uniform(0.02, 0.4))  # the loop was busy: turns fall due together
    await clock.advance(1.0)
    assert all(task.done() for task in running)
    return granted


@pytest.mark.parametrize("seed", [1, 2])
async def test_caught_up_and_late_turns_never_exceed_the_rate_in_any_second(seed: int) -> None:
    granted = await _pausing_senders(CATCH_UP_SECONDS, seed, stalls=True)
    assert granted == sorted(granted)
    gaps = [later - earlier for earlier, later in itertools.pairwise(granted)]
    # Never two sends closer than a third of the interval (2/3 planned, and a send woken
    # later than half of that takes a new moment).
    assert min(gaps) >= 1 / 300 - 1e-9
    # Every sliding window of one second, starting at each send, holds at most 100 sends.
    end = 0
    for index, start in enumerate(granted):
        while end < len(granted) and granted[end] - start < 1.0:
            end += 1
        assert end - index <= 100


async def test_catching_up_keeps_the_rate_when_senders_wait_briefly() -> None:
    """Two senders, each pausing for 10-50 ms before one send in five: with a catch-up of
    0.1 s no turn is lost; without it, every moment both pause is."""
    with_catch_up = await _pausing_senders(CATCH_UP_SECONDS, 3, stalls=False, senders=2, pauses=0.2)
    without = await _pausing_senders(0.0, 3, stalls=False, senders=2, pauses=0.2)
    # Over the first 9 seconds (the tenth ends in the middle of a pause) 900 turns are due.
    sent = sum(1 for moment in with_catch_up if moment < 9.0)
    assert sent >= 890
    assert sum(1 for moment in without if moment < 9.0) <= sent - 20
