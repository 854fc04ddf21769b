"""A sender whose lease on its rows lapsed holds them back rather than risk sending twice.

The lease is timed on the injected clock. The process stalls (the manual clock jumps past the
lease) while a row waits for its turn under the send limits: when the turn comes, the row goes
back to the queue unsent ("lease lapsed"), with no give-up counted, and is sent once later.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

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


async def _rows(sessions: SessionFactory) -> list[Delivery]:
    async with sessions() as session:
        return list((await session.scalars(select(Delivery))).all())


async def test_a_row_whose_lease_lapsed_while_it_waited_is_held_back_and_sent_later(
    sessions: SessionFactory, sandbox: SandboxClient, clock: ManualClock, stage_of: Stages
) -> None:
    (chat,) = await sandbox.add_users(1)
    await add_registrants(sessions, [{"telegram_chat_id": chat}])
    stage = stage_of("worker-a", paced_by=clock)
    await stage.limiter.pause(TELEGRAM_LANE, PAUSE_SECONDS)
    stored = await stage.service.receive(to_xml(alert("lease-1")), actor="test")
    await stage.service.approve(stored.id, actor="test")

    async def waiting_for_its_turn() -> bool:
        claimed = [row.state for row in await _rows(sessions)] == ["sending"]
        return claimed and clock.sleepers >= 1  # asleep on the paused lane

    await until(waiting_for_its_turn)
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
