"""Nobody who stays silent is forgotten: severe alerts are followed up step by step.

The clock is moved by hand; the messages really go out through the sandbox Bot API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from alerts.acks import Acks
from alerts.cap.export import to_xml
from alerts.models import AlertRecipient, Answer, Delivery, Registrant
from bot.telegram.app import build_bot
from cli.alerts_runtime import AlertSystem, alert_system
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import SENT, add_registrants, alert

TOKEN = "123456:escalation-test"
MINUTE = 60.0


@pytest.fixture
async def world(
    settings: Settings, sessions: SessionFactory
) -> AsyncIterator[tuple[AlertSystem, SandboxClient, ManualClock]]:
    clock = ManualClock(SENT)
    settings = settings.model_copy(update={"alert_escalation_minutes": "10,20,30,45"})
    async with SandboxServer("127.0.0.1", 0) as server, SandboxClient(server.base_url) as client:
        bot = build_bot(TOKEN, server.base_url)
        try:
            async with alert_system(
                settings, sessions, clock, bot=bot, catalogs=Catalogs.load(), voice=None
            ) as system:
                yield system, client, clock
        finally:
            await bot.session.close()


async def _step(system: AlertSystem, clock: ManualClock, minutes: float) -> None:
    clock.tick(minutes * MINUTE)
    await system.fanout.tick()
    await system.fanout.wait_idle()


async def test_silence_is_followed_up_and_an_answer_stops_it(
    world: tuple[AlertSystem, SandboxClient, ManualClock], sessions: SessionFactory
) -> None:
    system, client, clock = world
    silent, answers = list(await client.add_users(2))
    await add_registrants(
        sessions,
        [
            {"telegram_chat_id": silent, "contact_phone": "+77017654321"},
            {"telegram_chat_id": answers},
        ],
    )
    stored = await system.service.receive(to_xml(alert("quake-esc")), actor="test")
    await system.service.approve(stored.id, actor="test")
    await system.fanout.wait_idle()
    assert await client.message_counts() == {silent: 1, answers: 1}

    async with sessions.begin() as session:
        person = await session.scalar(
            select(Registrant).where(Registrant.telegram_chat_id == answers)
        )
        assert person is not None
        assert await Acks(clock).answer(session, person, Answer.SAFE, via="button")

    await _step(system, clock, 5)
    assert await client.message_counts() == {silent: 1, answers: 1}  # not yet due
    await _step(system, clock, 5)  # 10 minutes: the message again
    assert await client.message_counts() == {silent: 2, answers: 1}
    events = (await client.events(silent))["events"]
    reminder = events[-1]["message"]["text"]
    assert reminder != events[0]["message"]["text"]
    assert "Выйдите из здания сейчас." in reminder

    # 20 minutes: by SMS — they have no phone, so the next step comes at once: their contact
    # person is told.
    await _step(system, clock, 10)
    async with sessions() as session:
        steps = {
            (d.channel, d.step)
            for d in (await session.scalars(select(Delivery))).all()
            if d.registrant_id != person.id
        }
    assert ("contact_sms", 3) in steps
    await _step(system, clock, 25)  # 45 minutes: listed as "no answer"
    status = await system.service.status(stored.id)
    assert (status.safe, status.no_answer, status.waiting) == (1, 1, 0)
    async with sessions() as session:
        recipients = (await session.scalars(select(AlertRecipient))).all()
    assert all(recipient.next_step_at is None for recipient in recipients)
