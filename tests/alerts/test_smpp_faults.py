"""The SMPP channel under pressure: its window and pace, throttling, a link lost mid-broadcast.

The channel runs on a ManualClock that the tests move (`on_clock`); the SMSC reads the same
clock, so the moments it records are the channel's.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from alerts.channels.base import RetryLater
from core.clock import ManualClock
from tests.alerts.recording import RecordingEvents
from tests.alerts.smpp_helpers import deliver, on_clock, open_channel, phone, sms
from tests.servers.smsc import ESME_RTHROTTLED, Smsc

TEXT = "Үйден шығыңыз. Өрт. Жауап: 1 қауіпсіз, 2 көмек."


def arrivals(smsc: Smsc) -> Counter[str]:
    """How many times each phone got the text."""
    return Counter(message.destination for message in smsc.received())


async def test_no_more_than_the_window_waits_for_an_answer(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    async with open_channel(smsc, events, clock=clock, window=3) as channel:
        smsc.hold()
        sending = [asyncio.create_task(channel.send(sms(phone(n), TEXT, n))) for n in range(8)]
        await smsc.wait_for(lambda: smsc.held == 3)
        await clock.advance(0.2)  # would more arrive while the loop runs on? they must not
        assert smsc.held == 3
        smsc.release()
        await asyncio.gather(*sending)

    assert smsc.max_held == 3
    assert arrivals(smsc) == Counter({phone(n).removeprefix("+"): 1 for n in range(8)})


async def test_throughput_spreads_messages_over_time(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    smsc.now = clock.monotonic
    async with open_channel(smsc, events, clock=clock, throughput=20.0) as channel:
        started = clock.monotonic()
        sending = asyncio.gather(*(channel.send(sms(phone(n), TEXT, n)) for n in range(12)))
        await on_clock(clock, channel, sending, step=0.01)
    # 20 a second with bursts of 2: the k-th message leaves at (k - 2) / 20 s, not before, and
    # at most one step of the clock after (the first ones wait for the bind to come up).
    moments = sorted(message.at - started for message in smsc.messages)
    turns = [max(0, k - 2) / 20 for k in range(1, 13)]
    assert all(
        turn - 1e-6 <= moment <= turn + 0.01 + 1e-6
        for moment, turn in zip(moments, turns, strict=True)
    ), moments


async def test_a_send_that_gave_up_never_reaches_the_smsc_later(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    # Two a second: the second message waits for its turn longer than a send may wait.
    async with open_channel(
        smsc, events, clock=clock, throughput=2.0, response_timeout=0.3
    ) as channel:
        sending = asyncio.gather(
            *(channel.send(sms(phone(n), TEXT, n)) for n in range(3)), return_exceptions=True
        )
        first, second, third = await on_clock(clock, channel, sending)
        assert not isinstance(first, BaseException)
        assert isinstance(second, RetryLater) and isinstance(third, RetryLater)
        await clock.advance(0.7)  # past the second and the third one's turns
        assert channel.stats.in_doubt == 0

    assert [message.destination for message in smsc.messages] == [phone(0).removeprefix("+")]


async def test_throttling_pauses_then_every_message_arrives_once(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    smsc.now = clock.monotonic
    async with open_channel(smsc, events, clock=clock, throttle_first=0.3) as channel:
        smsc.throttle(5)
        sending = (deliver(channel, clock, sms(phone(n), TEXT, n)) for n in range(20))
        await on_clock(clock, channel, asyncio.gather(*sending))
        assert channel.stats.throttled == 5

    assert arrivals(smsc) == Counter({phone(n).removeprefix("+"): 1 for n in range(20)})
    accepted_at = {message.destination: message.at for message in smsc.messages}
    for destination, status, refused_at in smsc.refused_submits:
        assert status == ESME_RTHROTTLED
        assert accepted_at[destination] - refused_at >= 0.3, "sent again before the pause ended"


@pytest.mark.parametrize("how", ["unbind", "cut"])
async def test_a_link_lost_mid_broadcast_comes_back_and_no_message_is_lost(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock, how: str
) -> None:
    smsc.drop_after(100, how)  # type: ignore[arg-type]
    async with open_channel(smsc, events, clock=clock) as channel:
        sending = (deliver(channel, clock, sms(phone(n), TEXT, n)) for n in range(200))
        await on_clock(clock, channel, asyncio.gather(*sending))
        stats = channel.stats

    counts = arrivals(smsc)
    assert set(counts) == {phone(n).removeprefix("+") for n in range(200)}, "a message was lost"
    assert stats.link_losses >= 1
    assert smsc.binds >= 2
    duplicates = sum(count - 1 for count in counts.values())
    # A part the SMSC accepted whose answer was lost with the link is sent again (at least
    # once beats at most once for a warning). The channel knows how many were in doubt.
    assert duplicates <= stats.in_doubt + stats.late_answers, (duplicates, stats)
    if how == "unbind":
        # An SMSC that ends the session with an unbind answers everything it accepted first.
        assert duplicates == 0, stats


LONG = " ".join([TEXT] * 3)  # three UCS-2 parts


def whole_messages(smsc: Smsc) -> Counter[str]:
    """How many times each phone can put the whole text together: its parts under one
    reference are one message to it, however often a part came."""
    parts: dict[tuple[str, int | None, int], set[int]] = {}
    for part in smsc.messages:
        key = (part.destination, part.reference, part.number if part.total == 1 else 0)
        parts.setdefault(key, set()).add(part.index)
    whole: Counter[str] = Counter()
    for (destination, _, _), indexes in parts.items():
        if len(indexes) == 3:
            whole[destination] += 1
    return whole


async def test_a_long_sms_cut_off_mid_broadcast_is_never_whole_twice_on_a_phone(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    smsc.drop_after(40, "cut")  # mid-part of some message; answers in flight are lost
    async with open_channel(smsc, events, clock=clock) as channel:
        sending = (deliver(channel, clock, sms(phone(n), LONG, n)) for n in range(30))
        await on_clock(clock, channel, asyncio.gather(*sending))
        stats = channel.stats

    assert stats.link_losses >= 1
    whole = whole_messages(smsc)
    assert set(whole) == {phone(n).removeprefix("+") for n in range(30)}, "a message was lost"
    assert max(whole.values()) == 1, "a phone could show the whole message twice"
