"""Outcomes whose write fails once are written again, not left "sending" to come back in doubt."""

from __future__ import annotations

import pytest

from alerts.fanout import ledger
from alerts.fanout.recorder import RECORD_SECONDS, WRITE_TRIES, Recorder, Results
from alerts.models import DeliveryState
from core.clock import ManualClock
from tests.waiting import until


class _Deadlock(Exception):
    """What the database says when it aborted the transaction to end a deadlock."""


def _sent(delivery: int) -> tuple[ledger.Claimed, ledger.Outcome]:
    row = ledger.Claimed(
        id=delivery,
        alert_id=1,
        registrant_id=delivery,
        channel="telegram",
        step=0,
        batch=0,
        attempts=1,
        in_doubt=False,
        language="ru",
        disability_kinds=("deaf",),
        chat_id=1000 + delivery,
        phone=None,
        contact_phone=None,
    )
    return row, ledger.Outcome(delivery, DeliveryState.SENT, provider_message_id=str(delivery))


async def test_a_write_that_failed_is_tried_again_after_a_pause_on_the_clock() -> None:
    clock = ManualClock()
    written: list[Results] = []
    failures = [_Deadlock("deadlock detected")]

    async def write(results: Results) -> None:
        if failures:
            raise failures.pop()
        written.append(list(results))

    recorder = Recorder(write, clock)
    done = recorder.put([_sent(1), _sent(2)])

    async def pausing() -> bool:
        return clock.sleepers == 1

    await until(pausing)
    assert written == []
    assert not done.done()
    await clock.advance(RECORD_SECONDS * 5)
    await done
    assert [[outcome.id for _, outcome in results] for results in written] == [[1, 2]]


async def test_a_write_that_keeps_failing_fails_the_chunks_waiting_for_it() -> None:
    clock = ManualClock()
    tries = 0

    async def write(results: Results) -> None:
        nonlocal tries
        tries += 1
        raise _Deadlock("deadlock detected")

    recorder = Recorder(write, clock)
    done = recorder.put([_sent(1)])
    for tried in range(1, WRITE_TRIES):

        async def pausing() -> bool:
            return clock.sleepers == 1

        await until(pausing)
        await clock.advance(RECORD_SECONDS * 5**tried)
    with pytest.raises(_Deadlock):
        await done
    assert tries == WRITE_TRIES
