"""SMS replies with two alerts open: "1" answers both (issue 17, finding 5), through node-smpp's
SMS centre and the project's own (smpp34's)."""

from __future__ import annotations

from sqlalchemy import select

from alerts.models import AlertRecipient
from core.database import SessionFactory
from core.settings import Settings
from tests.alerts.broadcast import add_registrants, smpp_alert_system
from tests.interop.smsc_peers import SmscPeer
from tests.interop.test_smpp_receipts import RECEIPTS_SECONDS, _send, _states
from tests.waiting import until

PHONE = "+77010000007"


async def test_a_reply_answers_every_open_alert_the_phone_was_sent(
    settings: Settings, sessions: SessionFactory, any_smsc: SmscPeer
) -> None:
    await add_registrants(sessions, [{"phone": PHONE, "wants_sms": True}])
    async with smpp_alert_system(settings, sessions, any_smsc) as system:
        first = await _send(system, "two-open-1")
        second = await _send(system, "two-open-2")

        async def delivered() -> bool:
            states = await _states(sessions, first) + await _states(sessions, second)
            return all(state == "delivered" for state, _ in states)

        await until(delivered, RECEIPTS_SECONDS, every=0.05)
        await any_smsc.text_from(PHONE, "1")

        async def answers() -> list[str | None]:
            async with sessions() as session:
                rows = await session.scalars(
                    select(AlertRecipient.answer).order_by(AlertRecipient.alert_id)
                )
                return list(rows)

        async def both_answered() -> bool:
            return await answers() == ["safe", "safe"]

        await until(both_answered, RECEIPTS_SECONDS, every=0.05)
