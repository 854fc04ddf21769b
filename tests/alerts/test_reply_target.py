"""An SMS reply answers the alert that phone was sent, not the one planned last (issue 17, 5)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from alerts.fanout.inbound import SmsInbound
from alerts.models import AlertRecipient, Delivery, Registrant
from core.clock import ManualClock
from core.database import SessionFactory
from core.models import HandoverRequest
from tests.alerts.broadcast import SENT, add_registrants, alert_received

PHONE = "+77010000009"


async def _ledger(sessions: SessionFactory, *, newer_state: str) -> tuple[int, int]:
    """An older alert resent by SMS after an outage, and a newer one whose SMS is `newer_state`."""
    await add_registrants(sessions, [{"phone": PHONE, "wants_sms": True}])
    async with sessions() as session, session.begin():
        registrant = await session.scalar(select(Registrant))
        assert registrant is not None
        older = await alert_received(
            session, registrant.id, identifier="older", language="ru", now=SENT
        )
        newer = await alert_received(
            session, registrant.id, identifier="newer", language="ru", now=SENT
        )
        for alert_id, state, sent_at in (
            (older.id, "delivered", SENT + timedelta(minutes=3)),  # resent, reached last
            (
                newer.id,
                newer_state,
                SENT + timedelta(minutes=1) if newer_state != "queued" else None,
            ),
        ):
            session.add(
                Delivery(
                    alert_id=alert_id,
                    registrant_id=registrant.id,
                    channel="sms",
                    step=0,
                    batch=0,
                    state=state,
                    queued_at=SENT,
                    sent_at=sent_at,
                )
            )
        return older.id, newer.id


async def _answers(sessions: SessionFactory) -> dict[int, str | None]:
    async with sessions() as session:
        rows = await session.execute(select(AlertRecipient.alert_id, AlertRecipient.answer))
        return {row.alert_id: row.answer for row in rows}


async def test_a_reply_answers_the_alert_that_reached_the_phone(sessions: SessionFactory) -> None:
    older, newer = await _ledger(sessions, newer_state="queued")
    clock = ManualClock(SENT + timedelta(minutes=4))
    await SmsInbound(sessions, clock).reply(PHONE, "1")
    assert await _answers(sessions) == {older: "safe", newer: None}


async def test_help_with_two_alerts_reached_answers_both_with_one_request(
    sessions: SessionFactory,
) -> None:
    older, newer = await _ledger(sessions, newer_state="sent")
    clock = ManualClock(SENT + timedelta(minutes=4))
    await SmsInbound(sessions, clock).reply(PHONE, "2")
    assert await _answers(sessions) == {older: "help", newer: "help"}
    async with sessions() as session:
        requests = list(await session.scalars(select(HandoverRequest)))
    assert len(requests) == 1
    assert requests[0].alert_id == older, "linked to the alert that reached the phone last"
