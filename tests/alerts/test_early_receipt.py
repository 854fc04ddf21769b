"""An SMS receipt that arrives before its send is recorded is tried again on the clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from alerts.fanout.inbound import RECEIPT_RETRY_SECONDS, SmsInbound
from alerts.models import Delivery, Registrant
from core.clock import ManualClock, as_utc
from core.database import SessionFactory
from tests.alerts.broadcast import SENT, add_registrants, alert_received
from tests.waiting import until

PHONE = "+77010000019"


async def _sending(sessions: SessionFactory) -> int:
    """An SMS handed to the SMSC whose message id is not written yet."""
    await add_registrants(sessions, [{"phone": PHONE, "wants_sms": True}])
    async with sessions() as session, session.begin():
        registrant = await session.scalar(select(Registrant))
        assert registrant is not None
        received = await alert_received(
            session, registrant.id, identifier="early", language="ru", now=SENT
        )
        delivery = Delivery(
            alert_id=received.id,
            registrant_id=registrant.id,
            channel="sms",
            step=0,
            batch=0,
            state="sending",
            queued_at=SENT,
        )
        session.add(delivery)
        await session.flush()
        return delivery.id


async def _recorded(sessions: SessionFactory, delivery_id: int, message_id: str) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(state="sent", provider_message_id=message_id, sent_at=SENT)
        )


async def _delivery(sessions: SessionFactory, delivery_id: int) -> Delivery:
    async with sessions() as session:
        delivery = await session.get(Delivery, delivery_id)
        assert delivery is not None
        return delivery


async def test_an_early_receipt_is_applied_when_the_clock_reaches_its_retry(
    sessions: SessionFactory,
) -> None:
    clock = ManualClock(SENT)
    delivery_id = await _sending(sessions)
    inbound = SmsInbound(sessions, clock)

    async def retry_waiting() -> bool:
        return clock.sleepers == 1

    await inbound.receipt("smsc-1", True, None)  # the SMSC was quicker than our write
    await until(retry_waiting)
    assert inbound.retrying == 1
    await _recorded(sessions, delivery_id, "smsc-1")
    first = RECEIPT_RETRY_SECONDS[0]
    await clock.advance(first / 2)
    assert (await _delivery(sessions, delivery_id)).state == "sent"  # the clock stood still

    await clock.advance(first / 2)

    async def delivered() -> bool:
        return (await _delivery(sessions, delivery_id)).state == "delivered"

    await until(delivered)
    applied = await _delivery(sessions, delivery_id)
    assert applied.delivered_at is not None
    assert as_utc(applied.delivered_at) == SENT + timedelta(seconds=first)
    assert clock.sleepers == 0  # applied: no more retries


async def test_a_receipt_nobody_sent_is_tried_at_each_retry_and_then_dropped(
    sessions: SessionFactory,
) -> None:
    clock = ManualClock(SENT)
    delivery_id = await _sending(sessions)
    inbound = SmsInbound(sessions, clock)

    async def retry_waiting() -> bool:
        return clock.sleepers == 1

    await inbound.receipt("smsc-unknown", True, None)
    for wait in RECEIPT_RETRY_SECONDS[:-1]:
        await until(retry_waiting)
        await clock.advance(wait)
    await until(retry_waiting)
    await clock.advance(RECEIPT_RETRY_SECONDS[-1])

    async def gave_up() -> bool:
        return inbound.retrying == 0

    await until(gave_up)
    assert (await _delivery(sessions, delivery_id)).state == "sending"
