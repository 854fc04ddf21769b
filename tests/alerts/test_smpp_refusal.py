"""A bind that does not come up against smpp34's SMSC: sends stay unsent (issue 17, 3).

Its line closes the connection on a wrong password instead of answering, as some SMSCs do:
the channel cannot name a status then, and says the link is down; nothing counts as a failed
attempt, so the rows stay queued for the next bind.
"""

from __future__ import annotations

import pytest

from alerts.channels.base import RetryLater
from core.clock import ManualClock
from tests.alerts.recording import RecordingEvents
from tests.alerts.smpp_helpers import on_clock, open_channel, phone, sms
from tests.servers.smsc import Smsc


async def test_a_closed_door_is_a_link_down_and_sends_stay_unsent(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    async with open_channel(
        smsc, events, clock=clock, bind=False, password="wrong", rebind_wait=0.5
    ) as channel:
        assert not await on_clock(clock, channel, channel.wait_bound(1.0))
        assert channel.refusal is None
        with pytest.raises(RetryLater) as raised:
            await on_clock(clock, channel, channel.send(sms(phone(1), "Leave the building now.")))
        assert raised.value.unsent and raised.value.reason == "SMSC link down"
    assert smsc.messages == []
