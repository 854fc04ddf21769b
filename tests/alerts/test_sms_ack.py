"""An SMS answer to an alert gets a short SMS back, in the person's language (issue 20, 6).

Through a real SMPP server on 127.0.0.1 and the whole fan-out: the acknowledgement is a row
of the delivery ledger, sent over the same SMS channel and moved to "delivered" by its receipt.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from alerts.cap.export import to_xml
from alerts.models import Delivery
from cli.alerts_runtime import AlertSystem
from core.database import SessionFactory
from core.i18n import Catalogs
from core.profile import Language
from tests.alerts.broadcast import add_registrants, alert
from tests.servers.smsc import Smsc
from tests.waiting import until

LANGUAGES = ("kk", "ru", "en")
REPLIES = {
    # (language, what the person texts back) → which acknowledgement they get
    ("kk", "2"): "help",
    ("kk", "1"): "safe",
    ("kk", "не болып жатыр?"): "unclear",
    ("ru", "2"): "help",
    ("ru", "я в безопасности"): "safe",
    ("ru", "а что случилось?"): "unclear",
    ("en", "i need help"): "help",
    ("en", "1"): "safe",
    ("en", "what?"): "unclear",
}
PEOPLE = list(REPLIES)


def phone(number: int) -> str:
    return f"+7702{number:07d}"


def number(of: str) -> str:
    return of.removeprefix("+")


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc() as running:
        yield running


async def _sent_alert(system: AlertSystem, smsc: Smsc, identifier: str) -> int:
    stored = await system.service.receive(to_xml(alert(identifier)), actor="test")
    await system.service.approve(stored.id, actor="test")
    await system.fanout.wait_idle()
    await smsc.wait_for(lambda: len(smsc.received()) >= len(PEOPLE))
    return stored.id


def _texts_to(smsc: Smsc, to: str) -> list[str]:
    return [message.text for message in smsc.received() if message.destination == number(to)]


async def _ack_states(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        rows = await session.scalars(select(Delivery.state).where(Delivery.channel == "sms_ack"))
        return list(rows)


async def test_every_sms_answer_gets_an_sms_back_in_the_persons_language(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc
) -> None:
    await add_registrants(
        sessions,
        [
            {"phone": phone(n), "language": language, "wants_sms": True}
            for n, (language, _reply) in enumerate(PEOPLE)
        ],
    )
    await _sent_alert(system, smsc, "ack-quake")
    for n, (_language, reply) in enumerate(PEOPLE):
        await smsc.send_text(phone(n), reply)

    catalogs = Catalogs.load()
    for n, (language, reply) in enumerate(PEOPLE):
        wanted = catalogs.text(Language(language), f"sms_ack.{REPLIES[(language, reply)]}")
        await smsc.wait_for(lambda n=n, wanted=wanted: wanted in _texts_to(smsc, phone(n)))
        _alert_sms, ack = _texts_to(smsc, phone(n))
        assert ack == wanted, (language, reply)

    async def all_delivered() -> bool:  # by the SMS centre's receipts, as alerts are
        return await _ack_states(sessions) == ["delivered"] * len(PEOPLE)

    await until(all_delivered)


async def test_the_texts_say_what_was_understood() -> None:
    catalogs = Catalogs.load()
    assert catalogs.text(Language.EN, "sms_ack.help") == (
        "Help is being arranged. Stay where you are if it is safe."
    )
    assert catalogs.text(Language.EN, "sms_ack.unclear") == (
        "Are you safe? Reply 1 if you are safe, 2 if you need help."
    )
    for language in Language:
        for kind in ("help", "safe", "unclear"):
            text = catalogs.text(language, f"sms_ack.{kind}")
            assert len(text) <= 70, "one SMS part, in UCS-2 too"
        unclear = catalogs.text(language, "sms_ack.unclear")
        assert "1" in unclear and "2" in unclear


async def test_an_answering_machine_cannot_start_an_endless_exchange(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc
) -> None:
    """Unclear words again and again are asked about once; "2" after them is still answered."""
    await add_registrants(
        sessions, [{"phone": phone(n), "language": "ru", "wants_sms": True} for n in range(9)]
    )
    await _sent_alert(system, smsc, "ack-loop")
    for _ in range(3):
        await smsc.send_text(phone(0), "Абонент занят, перезвоню позже")
    await smsc.send_text(phone(0), "2")
    catalogs = Catalogs.load()
    helping = catalogs.text(Language.RU, "sms_ack.help")
    await smsc.wait_for(lambda: helping in _texts_to(smsc, phone(0)))
    await smsc.settle()
    backs = _texts_to(smsc, phone(0))[1:]  # after the alert
    assert sorted(backs) == sorted([catalogs.text(Language.RU, "sms_ack.unclear"), helping])


async def test_a_phone_not_on_the_list_gets_nothing_back(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc
) -> None:
    await add_registrants(
        sessions, [{"phone": phone(n), "language": "kk", "wants_sms": True} for n in range(9)]
    )
    await _sent_alert(system, smsc, "ack-stranger")
    stranger = "+77059999999"
    await smsc.send_text(stranger, "2")
    await smsc.send_text(phone(1), "1")  # a known phone after it: its answer comes back
    safe = Catalogs.load().text(Language.KK, "sms_ack.safe")
    await smsc.wait_for(lambda: safe in _texts_to(smsc, phone(1)))
    assert _texts_to(smsc, stranger) == []
