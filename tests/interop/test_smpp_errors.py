"""SMPP errors as node-smpp sends them: in the header, with no body (finding 3 of issue 17).

node-smpp answers from another process, so the channel runs on the system clock here.
"""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from alerts.channels.base import RetryLater
from core.clock import SystemClock
from tests.alerts.recording import RecordingEvents
from tests.alerts.smpp_helpers import deliver, open_channel, phone, sms
from tests.interop.node_peers import NodeSmsc

pytestmark = pytest.mark.realtime

TEXT = "Leave the building now. Fire. Reply 1 safe, 2 help."


async def test_a_refused_bind_is_heard_logged_and_given_to_the_sender(
    node_smsc: NodeSmsc, events: RecordingEvents, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="alerts.channels.smpp")
    async with open_channel(
        node_smsc, events, clock=SystemClock(), bind=False, password="wrong"
    ) as channel:
        await node_smsc.wait_for(lambda: node_smsc.first("bind_refused") is not None)
        assert not await channel.wait_bound(0.5)
        assert channel.refusal == "SMSC refused the bind: ESME_RINVPASWD"
        with pytest.raises(RetryLater) as raised:
            await channel.send(sms(phone(1), TEXT))
        assert "ESME_RINVPASWD" in raised.value.reason

    assert "SMSC refused the bind: ESME_RINVPASWD" in caplog.text
    assert node_smsc.submits == []


async def test_a_throttling_answer_without_a_body_pauses_and_nothing_is_in_doubt(
    node_smsc: NodeSmsc, events: RecordingEvents
) -> None:
    clock = SystemClock()
    async with open_channel(node_smsc, events, clock=clock, throttle_first=0.1) as channel:
        await node_smsc.command("throttle", count=3)
        for number in range(5):
            await deliver(channel, clock, sms(phone(number), TEXT, number))
        assert channel.stats.throttled == 3
        assert channel.stats.in_doubt == 0

    arrivals = Counter(part["destination"] for part in node_smsc.submits)
    assert arrivals == Counter({phone(n).removeprefix("+"): 1 for n in range(5)})
