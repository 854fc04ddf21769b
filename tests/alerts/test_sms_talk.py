"""A dispatcher talks by SMS with somebody on the list who does not use the bot (issue 21).

Through a real SMPP server on 127.0.0.1 and the whole fan-out: the person answers an alert
"2" by SMS; the dispatcher's messages reach their phone by SMS with the dispatcher's name and
how to answer or stop; their SMS replies join the request's thread until "STOP" (or the
dispatcher) ends it; the end is told by SMS; after it, SMS replies answer alerts again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from alerts import help_inbox
from alerts.cap.export import to_xml
from alerts.help_requests import InboxError
from alerts.models import AlertRecipient, Delivery
from cli.alerts_runtime import AlertSystem
from core import audit, help_thread
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.models import HandoverRequest, HelpMessage
from core.profile import Language
from tests.alerts.broadcast import add_registrants, alert
from tests.servers.smsc import Smsc
from tests.waiting import until

PHONE = "+77025550101"
OTHER = "+77025550102"


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc() as running:
        yield running


def _texts_to(smsc: Smsc, phone: str) -> list[str]:
    return [m.text for m in smsc.received() if m.destination == phone.removeprefix("+")]


async def _asked_for_help(system: AlertSystem, smsc: Smsc, sessions: SessionFactory) -> int:
    """Two people on the list get an alert by SMS; the first answers "2"."""
    await add_registrants(
        sessions,
        [
            {"phone": PHONE, "language": "ru", "wants_sms": True},
            {"phone": OTHER, "language": "en", "wants_sms": True},
        ],
    )
    stored = await system.service.receive(to_xml(alert("talk-quake")), actor="test")
    await system.service.approve(stored.id, actor="test")
    await system.fanout.wait_idle()
    await smsc.wait_for(lambda: len(smsc.received()) >= 2)
    await smsc.send_text(PHONE, "2")
    await smsc.wait_for(lambda: len(_texts_to(smsc, PHONE)) >= 2)  # the alert, "help is coming"
    async with sessions() as session:
        return int(await session.scalar(select(HandoverRequest.id)) or 0)


async def _write(
    system: AlertSystem, sessions: SessionFactory, clock: ManualClock, request_id: int, text: str
) -> None:
    """What the console does when a dispatcher writes: the step, then the SMS to a worker."""
    async with sessions.begin() as session:
        queued = await help_inbox.write_back(
            session, request_id, text, actor="staff:aigul", now=clock.now(), origin="127.0.0.1"
        )
    await system.service.hand_out(queued)


async def _thread(sessions: SessionFactory, request_id: int) -> list[tuple[str, str, str | None]]:
    async with sessions() as session:
        found = await session.scalars(
            select(HelpMessage).where(HelpMessage.request_id == request_id).order_by(HelpMessage.id)
        )
        return [(m.sender, m.channel, m.text) for m in found]


async def _answered(sessions: SessionFactory, alert_id: int, answer: str) -> bool:
    async with sessions() as session:
        found = await session.scalar(
            select(AlertRecipient.answer).where(AlertRecipient.alert_id == alert_id)
        )
        return found == answer


async def _talking(sessions: SessionFactory, request_id: int) -> bool:
    async with sessions() as session:
        request = await session.get(HandoverRequest, request_id)
        assert request is not None
        return bool(request.talking)


async def test_the_dispatcher_and_the_person_talk_by_sms_until_they_stop(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc, clock: ManualClock
) -> None:
    request_id = await _asked_for_help(system, smsc, sessions)
    assert request_id and not await _talking(sessions, request_id)

    await _write(system, sessions, clock, request_id, "Спасатели едут. Где вы сейчас?")
    catalogs = Catalogs.load()
    said = catalogs.text(
        Language.RU, "sms_talk.words", name="aigul", text="Спасатели едут. Где вы сейчас?"
    )
    await smsc.wait_for(lambda: said in _texts_to(smsc, PHONE))
    assert said.startswith("Диспетчер 112 aigul: Спасатели едут.") and "СТОП" in said
    assert await _talking(sessions, request_id)

    await smsc.send_text(PHONE, "Я на третьем этаже, дверь заклинило")

    async def heard() -> bool:
        return len(await _thread(sessions, request_id)) == 2

    await until(heard)
    await smsc.send_text(PHONE, "Стоп!")
    ended = catalogs.text(Language.RU, "sms_talk.ended")
    await smsc.wait_for(lambda: ended in _texts_to(smsc, PHONE))
    assert not await _talking(sessions, request_id)
    assert await _thread(sessions, request_id) == [
        ("staff", "sms", "Спасатели едут. Где вы сейчас?"),
        ("person", "sms", "Я на третьем этаже, дверь заклинило"),
        ("person", "sms", "Стоп!"),
    ]

    # after the conversation, an SMS reply answers alerts again, as before it
    second = await system.service.receive(to_xml(alert("talk-quake-2")), actor="test")
    await system.service.approve(second.id, actor="test")
    await smsc.wait_for(lambda: len(_texts_to(smsc, OTHER)) >= 2)
    await smsc.wait_for(lambda: len(_texts_to(smsc, PHONE)) >= 5)
    await smsc.send_text(PHONE, "1")

    await until(lambda: _answered(sessions, second.id, "safe"))
    assert len(await _thread(sessions, request_id)) == 3

    # and "2" after "1": "safe" does not stand over a call for help
    await smsc.send_text(PHONE, "2")

    await until(lambda: _answered(sessions, second.id, "help"))

    async def talk_delivered() -> bool:  # by the SMS centre's receipts, as alerts are
        async with sessions() as session:
            states = await session.scalars(
                select(Delivery.state).where(Delivery.channel == "sms_talk")
            )
            return list(states) == ["delivered", "delivered"]

    await until(talk_delivered)
    async with sessions() as session:
        started = await audit.entries(session, action="inbox.talk_started")
        stopped = await audit.entries(session, action="help.talk_ended")
        messages = await audit.entries(session, action="help.message")
    assert [e.actor for e in started] == ["staff:aigul"]
    assert [e.actor for e in stopped] == [f"registrant:{1}"]
    assert all("Спасатели" not in str(e.details) for e in messages)  # never the words


async def test_the_dispatcher_ends_it_and_resolving_ends_it_too(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc, clock: ManualClock
) -> None:
    request_id = await _asked_for_help(system, smsc, sessions)
    await _write(system, sessions, clock, request_id, "We are on our way.")
    async with sessions.begin() as session:
        queued = await help_inbox.end_talk(
            session, request_id, actor="staff:aigul", now=clock.now(), origin=None
        )
    await system.service.hand_out(queued)
    ended = Catalogs.load().text(Language.RU, "sms_talk.ended")
    await smsc.wait_for(lambda: ended in _texts_to(smsc, PHONE))

    # writing again starts it again; resolving ends it, and the end is told only once
    await _write(system, sessions, clock, request_id, "One more thing.")
    assert await _talking(sessions, request_id)
    async with sessions.begin() as session:
        queued = await help_inbox.resolve(
            session, request_id, actor="staff:aigul", now=clock.now(), origin=None
        )
    assert queued == ()  # the person was told already that the conversation is over
    assert not await _talking(sessions, request_id)
    async with sessions.begin() as session:
        with pytest.raises(InboxError, match="is closed"):
            await help_inbox.write_back(
                session, request_id, "late", actor="staff:aigul", now=clock.now(), origin=None
            )
    await system.fanout.wait_idle()
    assert _texts_to(smsc, PHONE).count(ended) == 1
    assert len(_texts_to(smsc, OTHER)) == 1  # the other person got the alert only


async def test_a_call_for_help_after_every_alert_is_answered_is_never_dropped(
    system: AlertSystem, sessions: SessionFactory, smsc: Smsc, clock: ManualClock
) -> None:
    request_id = await _asked_for_help(system, smsc, sessions)
    await smsc.send_text(PHONE, "2")  # again, while nobody has taken the request yet

    async def joined() -> bool:
        return await _thread(sessions, request_id) == [("person", "sms", "2")]

    await until(joined)
    async with sessions.begin() as session:
        await help_inbox.take(
            session, request_id, actor="staff:aigul", now=clock.now(), origin=None
        )
        await help_inbox.end_talk(
            session, request_id, actor="staff:aigul", now=clock.now(), origin=None
        )
    await smsc.send_text(PHONE, "пожар, помогите")  # taken, nobody writing: a new request

    async def opened() -> bool:
        async with sessions() as session:
            found = await session.scalars(select(HandoverRequest).order_by(HandoverRequest.id))
            return [(r.id == request_id, r.status) for r in found] == [
                (True, "taken"),
                (False, "open"),
            ]

    await until(opened)
    async with sessions() as session:
        newest = await session.scalar(select(func.max(HandoverRequest.id)))
    assert newest is not None
    assert await _thread(sessions, newest) == [("person", "sms", "пожар, помогите")]


async def test_stop_words_alone_end_a_conversation() -> None:
    for said in ("STOP", "стоп", "Стоп!", "тоқта", "токта", "/stop", " Stop. "):
        assert help_thread.ends_talk(said), said
    for said in ("не могу остановить кровь", "stop the water please", "2", "стоп кран"):
        assert not help_thread.ends_talk(said), said
