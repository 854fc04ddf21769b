"""Escalation counts from the first successful send, not from planning (issue 17, finding 6).

The SMS centre refuses binds for a while (an outage) while the first message waits: the
follow-up must come a full step after the message finally left, not right after it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from pydantic import SecretStr
from sqlalchemy import select

from alerts.cap.export import to_xml
from alerts.models import Delivery
from cli.alerts_runtime import AlertSystem, alert_system
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings, SmsBackend
from tests.alerts.broadcast import SENT, add_registrants, alert
from tests.interop.node_peers import NodeSmsc
from tests.waiting import until


@asynccontextmanager
async def _system(
    settings: Settings, sessions: SessionFactory, smsc: NodeSmsc, clock: ManualClock
) -> AsyncIterator[AlertSystem]:
    settings = settings.model_copy(
        update={
            "sms_backend": SmsBackend.SMPP,
            "smpp_host": smsc.host,
            "smpp_port": smsc.port,
            "smpp_system_id": "komek",
            "smpp_password": SecretStr("secret"),
        }
    )
    async with alert_system(
        settings, sessions, clock, bot=None, catalogs=Catalogs.load(), voice=None
    ) as built:
        yield built


async def _steps(sessions: SessionFactory) -> list[tuple[int, str]]:
    async with sessions() as session:
        rows = await session.execute(select(Delivery.step, Delivery.state).order_by(Delivery.id))
        return [(row.step, row.state) for row in rows]


async def test_the_first_follow_up_is_a_full_step_after_the_message_left(
    settings: Settings, sessions: SessionFactory, node_smsc: NodeSmsc
) -> None:
    clock = ManualClock(SENT)
    await add_registrants(sessions, [{"phone": "+77010000011", "wants_sms": True}])
    await node_smsc.command("refuse_bind", status="ESME_RBINDFAIL")  # the SMSC is out
    async with _system(settings, sessions, node_smsc, clock) as system:
        stored = await system.service.receive(to_xml(alert("late-sms")), actor="dispatcher-1")
        await system.service.approve(stored.id, actor="approver-2")
        await node_smsc.wait_for(lambda: node_smsc.first("bind_refused") is not None)

        clock.tick(15 * 60)  # past the first step, the SMS still waits
        await system.fanout.tick()
        assert await _steps(sessions) in ([(0, "queued")], [(0, "sending")])

        await node_smsc.command("refuse_bind")  # the SMSC is back

        async def sent() -> bool:
            clock.tick(5)  # time goes on: the row's retry comes due
            await system.fanout.tick()  # and its batch is handed out again
            return await _steps(sessions) == [(0, "delivered")]

        await until(sent, 90.0, every=0.05)
        left_at = clock.now()

        clock.tick(60)
        await system.fanout.tick()
        assert await _steps(sessions) == [(0, "delivered")], "no 'sent again' a minute later"

        clock.tick((left_at + timedelta(minutes=10, seconds=1) - clock.now()).total_seconds())
        await system.fanout.tick()
        await system.fanout.wait_idle()
        assert [step for step, _ in await _steps(sessions)] == [0, 1]
