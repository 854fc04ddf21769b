"""A sender whose lease on its rows lapsed holds them back rather than risk sending twice.

The lease is timed on the injected clock. The process stalls (the manual clock jumps past the
lease) while a row waits for its turn under the send limits: when the turn comes, the row goes
back to the queue unsent ("lease lapsed"), with no give-up counted, and is sent once later.
"""

from __future__ import annotations

import asyncio

from prometheus_client import REGISTRY
from sqlalchemy import select, update

from alerts.cap.export import to_xml
from alerts.fanout.outgoing import TELEGRAM_LANE
from alerts.models import Delivery
from core.clock import ManualClock
from core.database import SessionFactory
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert
from tests.alerts.stages import Stages
from tests.waiting import until

PAUSE_SECONDS = 120.0
"""Telegram's retry_after on the lane: longer than the lease (30 s)."""
SHORT_PAUSE_SECONDS = 15.0
"""A pause that ends well within the lease (30 s), after one renewal."""
RENEWAL_SECONDS = 10.5
"""Just past the renewal's interval (a third of the lease)."""


def _outcomes(state: str | None = None) -> float:
    """Telegram outcomes the sender has counted (komek_deliveries_total), of one state or all."""
    states = [state] if state else ["sent", "queued", "failed", "expired"]
    found = (
        REGISTRY.get_sample_value("komek_deliveries_total", {"channel": "telegram", "state": s})
        for s in states
    )
    return sum(value or 0.0 for value in found)


async def _rows(sessions: SessionFactory) -> list[Delivery]:
    async with sessions() as session:
        return list((await session.scalars(select(Delivery))).all())


async def _claimed_and_asleep(sessions: SessionFactory, clock: ManualClock, sleepers: int) -> bool:
    """The one row is claimed and the sender's tasks sleep on the clock (waiting their turn)."""
    claimed = [row.state for row in await _rows(sessions)] == ["sending"]
    return claimed and clock.sleepers >= sleepers


async def test_a_row_whose_lease_lapsed_while_it_waited_is_held_back_and_sent_later(
    sessions: SessionFactory, sandbox: SandboxClient, clock: ManualClock, stage_of: Stages
) -> None:
    (chat,) = await sandbox.add_users(1)
    await add_registrants(sessions, [{"telegram_chat_id": chat}])
    stage = stage_of("worker-a", paced_by=clock)
    await stage.limiter.pause(TELEGRAM_LANE, PAUSE_SECONDS)
    stored = await stage.service.receive(to_xml(alert("lease-1")), actor="test")
    await stage.service.approve(stored.id, actor="test")

    await until(lambda: _claimed_and_asleep(sessions, clock, 1))  # asleep on the paused lane
    clock.tick(PAUSE_SECONDS + 1)  # the process stalls past its lease: the turn comes late

    async def settled() -> bool:
        return [row.state for row in await _rows(sessions)] != ["sending"]

    await until(settled)
    (row,) = await _rows(sessions)
    assert (row.state, row.last_error, row.in_doubt) == ("queued", "lease lapsed", False)
    assert await sandbox.message_counts() == {}

    clock.tick(1)  # the retry comes due: the batch still running claims the row again
    await asyncio.wait_for(stage.fanout.wait_idle(), 10)
    (row,) = await _rows(sessions)
    assert (row.state, row.last_error, row.in_doubt) == ("sent", None, False)
    assert await sandbox.message_counts() == {chat: 1}


async def test_a_row_another_worker_took_over_is_not_sent_though_the_lease_was_renewed(
    sessions: SessionFactory, sandbox: SandboxClient, clock: ManualClock, stage_of: Stages
) -> None:
    """A stall let another worker take a row over; this worker's next renewal keeps its other
    rows, but the row it lost is never sent by it (before, the renewal made the whole chunk
    look held and both workers sent the row)."""
    (chat,) = await sandbox.add_users(1)
    await add_registrants(sessions, [{"telegram_chat_id": chat}])
    stage = stage_of("worker-a", paced_by=clock)
    await stage.limiter.pause(TELEGRAM_LANE, SHORT_PAUSE_SECONDS)
    stored = await stage.service.receive(to_xml(alert("lease-2")), actor="test")
    await stage.service.approve(stored.id, actor="test")

    # Asleep on the lane, and the renewal asleep.
    await until(lambda: _claimed_and_asleep(sessions, clock, 2))
    async with sessions() as session, session.begin():  # worker B takes it over
        await session.execute(update(Delivery).values(worker="worker-b"))
    clock.tick(RENEWAL_SECONDS)  # worker A renews: the row is not among those it still holds
    await until(lambda: _claimed_and_asleep(sessions, clock, 2))
    outcomes, queued = _outcomes(), _outcomes("queued")
    clock.tick(SHORT_PAUSE_SECONDS - RENEWAL_SECONDS)  # the lane opens, well within the lease

    async def decided_by_a() -> bool:  # its outcome counted: sent, or back to the queue
        return _outcomes() > outcomes

    await until(decided_by_a)
    assert _outcomes("queued") == queued + 1  # "lease lapsed": held back, not sent
    (row,) = await _rows(sessions)
    assert (row.state, row.worker) == ("sending", "worker-b")
    assert await sandbox.message_counts() == {}
