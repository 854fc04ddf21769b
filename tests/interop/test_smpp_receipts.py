"""Receipts of a long SMS's parts, heard by another bind or after a restart (issue 17, finding 4).

An SMSC cluster may send a part's receipt on any bind of the account, and a process may stop
between sending and hearing back: the ledger, not one process's memory, puts parts together.
Receipts on another bind are tried against node-smpp's SMSC and the project's own (smpp34's).
"""

from __future__ import annotations

from sqlalchemy import select

from alerts.cap.export import to_xml
from alerts.models import Delivery
from cli.alerts_runtime import AlertSystem
from core.database import SessionFactory
from core.settings import Settings
from tests.alerts.broadcast import add_registrants, alert, smpp_alert_system
from tests.interop.node_peers import NodeSmsc
from tests.interop.smsc_peers import SmscPeer
from tests.waiting import until

PHONES = ("+77010000001", "+77010000002")
RECEIPTS_SECONDS = 20.0
"""How long receipts may take to come back from node-smpp, in another process."""


async def _states(sessions: SessionFactory, alert_id: int) -> list[tuple[str, str | None]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.state, Delivery.last_error)
            .where(Delivery.alert_id == alert_id)
            .order_by(Delivery.id)
        )
        return [(row.state, row.last_error) for row in rows]


async def _send(system: AlertSystem, identifier: str) -> int:
    stored = await system.service.receive(to_xml(alert(identifier)), actor="dispatcher-1")
    await system.service.approve(stored.id, actor="approver-2")
    await system.fanout.wait_idle()
    return stored.id


async def test_a_failed_part_heard_on_another_bind_fails_the_message(
    settings: Settings, sessions: SessionFactory, any_smsc: SmscPeer
) -> None:
    await add_registrants(sessions, [{"phone": phone, "wants_sms": True} for phone in PHONES])
    await any_smsc.receipts_on_another_bind(fail_from=2)
    async with (
        smpp_alert_system(settings, sessions, any_smsc) as sending,
        smpp_alert_system(settings, sessions, any_smsc),  # another worker, bound as well
    ):
        await any_smsc.wait_binds(2)
        alert_id = await _send(sending, "parts-on-two-binds")
        assert min(any_smsc.part_totals()) > 1, "a long text, in parts"

        async def settled() -> bool:
            return all(state != "sent" for state, _ in await _states(sessions, alert_id))

        await until(settled, RECEIPTS_SECONDS, every=0.05)
    assert await _states(sessions, alert_id) == [("failed", "UNDELIV err:001")] * 2


async def test_part_receipts_after_a_restart_complete_the_delivery(
    settings: Settings, sessions: SessionFactory, node_smsc: NodeSmsc
) -> None:
    await add_registrants(sessions, [{"phone": phone, "wants_sms": True} for phone in PHONES])
    # The last part of the second message will not arrive; every other part will.
    await node_smsc.command("receipts", mode="hold", fail_from=99)
    async with smpp_alert_system(settings, sessions, node_smsc) as sending:
        alert_id = await _send(sending, "parts-after-restart")
    assert await _states(sessions, alert_id) == [("sent", None)] * 2

    async with smpp_alert_system(settings, sessions, node_smsc):  # the process, started again
        await node_smsc.wait_for(lambda: len(node_smsc.of("bound")) >= 2)
        await node_smsc.command("fail_last", destination=PHONES[1].removeprefix("+"))
        await node_smsc.command("release_receipts")

        async def settled() -> bool:
            return all(state != "sent" for state, _ in await _states(sessions, alert_id))

        await until(settled, RECEIPTS_SECONDS, every=0.05)
    assert await _states(sessions, alert_id) == [
        ("delivered", None),
        ("failed", "UNDELIV err:001"),
    ]
