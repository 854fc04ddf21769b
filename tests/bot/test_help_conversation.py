"""Talking with a dispatcher through the real bot and the sandbox Bot API: the person's words
open the request's thread; once a dispatcher takes it, what they send goes to the thread (not
the bot's dialogue) until either side ends it; danger words still get the emergency answer."""

from __future__ import annotations

from sqlalchemy import select

from alerts import help_inbox
from core import audit
from core.clock import ManualClock
from core.database import SessionFactory
from core.models import HandoverRequest, HelpMessage
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.bot.test_alert_subscription import onboarded, reply_to, texts

FIRE = "Пожар на пятом этаже, я на шестом, не могу найти трость"


async def thread(sessions: SessionFactory, request_id: int) -> list[tuple[str, str, str | None]]:
    async with sessions() as session:
        found = await session.scalars(
            select(HelpMessage).where(HelpMessage.request_id == request_id).order_by(HelpMessage.id)
        )
        return [(m.sender, m.channel, m.text) for m in found]


async def requests(sessions: SessionFactory) -> list[HandoverRequest]:
    async with sessions() as session:
        query = select(HandoverRequest).order_by(HandoverRequest.id)
        return list((await session.scalars(query)).all())


async def test_the_person_talks_with_the_dispatcher_until_they_stop(
    telegram: SandboxClient, sessions: SessionFactory, clock: ManualClock
) -> None:
    user = await onboarded(telegram, "ru")
    answer = await reply_to(user, FIRE, 3)
    assert "112" in texts(answer)
    (request,) = await requests(sessions)
    assert await thread(sessions, request.id) == [("person", "text", FIRE)]
    assert request.name == "Aigerim"  # as the person shows in Telegram, for the dispatcher

    async with sessions.begin() as session:
        await help_inbox.take(
            session, request.id, actor="staff:aigul", now=clock.now(), origin="127.0.0.1"
        )
    (taken,) = await requests(sessions)
    assert taken.talking

    passed = await reply_to(user, "Я в квартире 61, жду")
    assert "диспетчеру aigul" in texts(passed) and "/stop" in texts(passed)
    await user.share_location(43.25654, 76.92848)
    await user.wait_for_bot_messages(1, timeout=60)
    # danger words: the emergency answer first, and the dispatcher sees them too
    smoke = await reply_to(user, "дым в коридоре, пожар!", 3)
    assert "112" in texts(smoke) and "диспетчеру aigul" in texts(smoke)
    assert len(await requests(sessions)) == 1  # no second request: it is the same talk
    assert await thread(sessions, request.id) == [
        ("person", "text", FIRE),
        ("person", "text", "Я в квартире 61, жду"),
        ("person", "location", "43.25654, 76.92848"),
        ("person", "text", "дым в коридоре, пожар!"),
    ]

    ended = await reply_to(user, "/stop")
    assert "Вы закончили разговор с диспетчером" in message_text(ended[0])
    stored = {r.id: r for r in await requests(sessions)}
    assert not stored[request.id].talking and stored[request.id].status == "taken"
    await reply_to(user, "спасибо")  # the bot's own dialogue again
    assert len(await thread(sessions, request.id)) == 4
    async with sessions() as session:
        entries = await audit.entries(session, action="help.message")
        ended_entries = await audit.entries(session, action="help.talk_ended")
    assert all(FIRE not in str(entry.details) for entry in entries)
    assert [entry.actor for entry in ended_entries] == [f"person:{request.person_id}"]
