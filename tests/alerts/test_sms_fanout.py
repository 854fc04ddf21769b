"""Alerts by SMS through a real SMPP server (smpp34's SMSC on 127.0.0.1), fan-out and all.

Receipts move the ledger to "delivered"; throttling and a lost link delay but lose nothing;
replies "1" and "2" from the phones answer the alert.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.models import AlertRecipient, Delivery
from alerts.sms_text import parts
from cli.alerts_runtime import AlertSystem
from core.database import SessionFactory
from core.models import HandoverRequest
from tests.alerts.broadcast import add_registrants, alert
from tests.servers.smsc import Smsc
from tests.waiting import until

PEOPLE = 40


def phone(number: int) -> str:
    return f"+7701{number:07d}"


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc() as running:
        yield running


async def _states(sessions: SessionFactory, alert_id: int) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.state, func.count())
            .where(Delivery.alert_id == alert_id)
            .group_by(Delivery.state)
        )
        return {row[0]: row[1] for row in rows}


async def test_sms_alert_delivered_and_answered_by_reply(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc
) -> None:
    await add_registrants(
        sessions,
        [
            {"phone": phone(n), "language": ("kk", "ru", "en")[n % 3], "disability_kinds": []}
            for n in range(PEOPLE)
        ],
    )
    stored = await system.service.receive(to_xml(alert("sms-quake")), actor="test")
    await system.service.approve(stored.id, actor="test")
    await system.fanout.wait_idle()

    async def all_delivered() -> bool:
        return (await _states(sessions, stored.id)).get("delivered", 0) == PEOPLE

    await until(all_delivered)
    assert await _states(sessions, stored.id) == {"delivered": PEOPLE}  # by the receipts
    received = smsc.received()
    assert sorted(message.destination for message in received) == sorted(
        phone(n).removeprefix("+") for n in range(PEOPLE)
    )
    russian = next(m.text for m in received if m.destination == phone(1).removeprefix("+"))
    assert russian.startswith("Выйдите из здания сейчас.")
    assert parts(russian) <= 3
    assert "1" in russian and "2" in russian  # how to answer

    await smsc.send_text(phone(1), "1")
    await smsc.send_text(phone(2), "2")

    async def answered() -> bool:
        async with sessions() as session:
            count = await session.scalar(
                select(func.count()).where(AlertRecipient.answer.is_not(None))
            )
            return count == 2

    await until(answered)
    async with sessions() as session:
        rows = await session.execute(
            select(AlertRecipient.registrant_id, AlertRecipient.answer).where(
                AlertRecipient.answer.is_not(None)
            )
        )
        answers = {row[0]: row[1] for row in rows}
        help_requests = (await session.scalars(select(HandoverRequest))).all()
    assert sorted(answers.values()) == ["help", "safe"]
    (request,) = help_requests
    assert (request.kind, request.alert_id) == ("emergency", stored.id)
    assert request.registrant_id in answers


async def test_throttling_and_a_lost_link_lose_nobody(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc
) -> None:
    await add_registrants(sessions, [{"phone": phone(n)} for n in range(PEOPLE)])
    smsc.throttle(5)  # the SMS centre is busy for the first five messages
    smsc.drop_after(15, "cut")  # and the line is cut after fifteen
    stored = await system.service.receive(to_xml(alert("sms-faults")), actor="test")
    await system.service.approve(stored.id, actor="test")
    await system.fanout.wait_idle()

    states = await _states(sessions, stored.id)
    assert set(states) <= {"sent", "delivered"} and sum(states.values()) == PEOPLE
    by_phone: dict[str, int] = {}
    for message in smsc.received():
        by_phone[message.destination] = by_phone.get(message.destination, 0) + 1
    assert sorted(by_phone) == sorted(phone(n).removeprefix("+") for n in range(PEOPLE))
    # A message the SMSC took just as the line was cut cannot be told from one it never got:
    # it is sent again. Nothing else is sent twice.
    assert sum(count - 1 for count in by_phone.values()) <= 10  # at most the window
