"""The help inbox: requests in words, open first; take, resolve and write back through the bot."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from alerts.acks import Acks
from alerts.models import Answer, Delivery, Registrant
from bot.telegram.app import build_bot
from bot.telegram.outbox import Outbox
from bot.telegram.sender import ReplySender
from core import audit
from core.models import HandoverRequest, HelpMessage, Person
from core.notifications import Notification
from core.people import People
from core.profile import Language
from sandbox.sim_user import SimUser, message_text
from tests.alerts.broadcast import add_registrants, alert_received
from tests.console.conftest import TOKEN
from tests.console.harness import ConsoleHarness

ALMATY = (43.238949, 76.889709)


async def person(
    console: ConsoleHarness, telegram_id: int, language: Language, *kinds: str
) -> Person:
    async with console.ctx.sessions.begin() as session:
        made = await People(console.ctx.clock).create(session, telegram_id, language)
        made.disability_kinds = list(kinds)
    return made


async def emergency(
    console: ConsoleHarness, who: Person, danger: str, *, place: bool, name: str | None = None
) -> int:
    """What the bot does for "fire!" and then a shared location."""
    people = People(console.ctx.clock)
    async with console.ctx.sessions.begin() as session:
        found = await session.get(Person, who.id)
        assert found is not None
        request = await people.record_emergency(session, found, danger, name=name)
        if place:
            assert await people.locate_emergency(session, found, *ALMATY)
        return request.id


async def asked_for_a_person(console: ConsoleHarness, who: Person) -> int:
    async with console.ctx.sessions.begin() as session:
        found = await session.get(Person, who.id)
        assert found is not None
        return (await People(console.ctx.clock).request_handover(session, found)).id


async def help_by_sms(console: ConsoleHarness, phone: str) -> tuple[int, int]:
    """Somebody on the list, not in the bot, answers "2" (I need help) to an alert by SMS."""
    await add_registrants(
        console.ctx.sessions, [{"phone": phone, "disability_kinds": ["deaf", "mobility"]}]
    )
    async with console.ctx.sessions.begin() as session:
        registrant = (await session.scalars(select(Registrant))).one()
        alert = await alert_received(
            session, registrant.id, identifier="quake-1", language="ru", now=console.ctx.clock.now()
        )
        answered = await Acks(console.ctx.clock).answer(session, registrant, Answer.HELP, via="sms")
        assert answered is not None and answered.help_request is not None
        await session.flush()
        return alert.id, answered.help_request.id


def row(page: str, request_id: int) -> str:
    """The text of one request's row, tags removed."""
    found = re.search(rf'<tr id="request-{request_id}".*?</tr>', page, re.S)
    assert found is not None, f"no row for request {request_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


async def test_requests_in_words_open_first(console: ConsoleHarness) -> None:
    await console.add_staff("aigul", "dispatcher")
    await console.add_staff("dana", "coordinator")
    deaf = await person(console, 5001, Language.RU, "deaf")
    blind = await person(console, 5002, Language.EN, "blind")
    fire = await emergency(console, deaf, "fire", place=True, name="Сәуле\u200b  Ахметова\n")
    human = await asked_for_a_person(console, blind)
    alert_id, by_sms = await help_by_sms(console, "+77011234567")
    client = await console.client("aigul")
    assert (await client.post(f"/inbox/{human}/resolve")).status == 303
    assert (await client.post(f"/inbox/{fire}/take")).status == 303

    response = await client.get("/inbox")
    assert response.status == 200
    page = await response.text()
    # open first, then taken, then resolved
    assert page.index(f'id="request-{by_sms}"') < page.index(f'id="request-{fire}"')
    assert page.index(f'id="request-{fire}"') < page.index(f'id="request-{human}"')

    sms = row(page, by_sms)
    assert f"Needs help after alert {alert_id}" in sms
    assert "Russian" in sms and "deaf, moves with difficulty" in sms
    assert "Open: nobody has taken it" in sms
    assert "No bot contact. Call the phone +7 7** *** 45 67." in sms
    assert "No name given" in sms  # the registration list's names are never read
    assert "+77011234567" not in page

    burning = row(page, fire)
    assert "Emergency" in burning and "fire" in burning and "Taken by aigul" in burning
    assert "Name in Telegram: Сәуле Ахметова" in burning  # as shown in Telegram, made printable
    assert '<strong translate="no">Сәуле Ахметова</strong>' in page
    link = "https://www.openstreetmap.org/?mlat=43.23895&amp;mlon=76.88971#map=16/43.23895/76.88971"
    assert f'<a href="{link}" target="_blank" rel="noopener noreferrer">' in page
    assert f"Map of request {fire} (opens in a new tab)" in burning

    person_row = row(page, human)
    assert "Asked for a person" in person_row and "English" in person_row
    assert "blind" in person_row and "Resolved by aigul" in person_row
    assert "Name in Telegram: No name given" in person_row
    assert "No place shared" in person_row

    coordinator = await console.client("dana")
    assert (await coordinator.get("/inbox")).status == 403
    async with console.ctx.sessions() as session:
        viewed = await audit.entries(session, action="inbox.viewed")
    assert [entry.actor for entry in viewed] == ["staff:aigul"]


async def test_take_write_back_and_resolve(console: ConsoleHarness) -> None:
    await console.add_staff("aigul", "dispatcher")
    await console.add_staff("berik", "dispatcher")
    user: SimUser = await console.sandbox.add_user("Aizhan", "ru")
    deaf = await person(console, user.chat_id, Language.RU, "deaf")
    fire = await emergency(console, deaf, "fire", place=False)
    aigul = await console.client("aigul")
    berik = await console.client("berik")

    taken = await aigul.post(f"/inbox/{fire}/take")
    assert taken.status == 303
    page = await (await aigul.get(taken.headers["Location"])).text()
    assert f"You took help request {fire}." in page
    refused = await berik.post(f"/inbox/{fire}/take")
    assert refused.status == 409
    assert f"Help request {fire} is taken: aigul has it." in await refused.text()
    in_russian = await berik.post(f"/inbox/{fire}/take", headers={"Accept-Language": "ru"})
    assert in_russian.status == 409
    assert f"Просьбу о помощи {fire} уже взял(а) aigul." in await in_russian.text()
    in_kazakh = await aigul.post(
        f"/inbox/{fire}/reply", {"text": " "}, headers={"Accept-Language": "kk"}
    )
    assert in_kazakh.status == 400 and "Алдымен хабар жазыңыз." in await in_kazakh.text()
    assert "Write a message first" not in await in_kazakh.text()

    empty = await aigul.post(f"/inbox/{fire}/reply", {"text": "   "})
    assert empty.status == 400
    assert "Write a message first." in await empty.text()
    too_long = "Помощь идёт. " * 100
    long_reply = await aigul.post(f"/inbox/{fire}/reply", {"text": too_long})
    assert long_reply.status == 400
    text = await long_reply.text()
    assert "the most is 1000" in text
    assert html.escape(too_long.strip(), quote=False) in text  # what was written is not lost

    message = "Stay where you are. Rescuers are coming to you."
    sent = await aigul.post(f"/inbox/{fire}/reply", {"text": message})
    assert sent.status == 303
    async with console.ctx.sessions() as session:
        talking, queued = (await session.scalars(select(Notification))).all()
        replied = await audit.entries(session, action="inbox.replied")
    assert (talking.person_id, talking.key, talking.params) == (
        deaf.id,
        "help.talking",
        {"name": "aigul"},
    )
    assert (queued.person_id, queued.key, queued.params) == (
        deaf.id,
        "inbox.reply",
        {"text": message},
    )
    assert len(replied) == 1
    assert message not in str(replied[0].details)
    assert replied[0].origin == "127.0.0.1"

    bot = build_bot(TOKEN, console.sandbox_url)
    try:
        outbox = Outbox(
            console.ctx.sessions, console.ctx.catalogs, console.ctx.clock, ReplySender()
        )
        assert await outbox.send_due(bot) == 2
    finally:
        await bot.session.close()
    introduced, told = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(introduced).startswith("Вам пишет диспетчер 112, aigul.")
    assert "/stop" in message_text(introduced)
    assert message_text(told) == f"Вам пишут спасатели: {message}"

    resolved = await berik.post(f"/inbox/{fire}/resolve")
    assert resolved.status == 303
    page = await (await berik.get("/inbox")).text()
    assert "Resolved by berik" in row(page, fire)
    again = await aigul.post(f"/inbox/{fire}/resolve")
    assert again.status == 409
    assert "is closed: berik closed it." in await again.text()
    async with console.ctx.sessions() as session:
        actions = [
            (e.action, e.actor)
            for e in await audit.entries(session)
            if e.action.startswith("inbox.")
            and e.action not in ("inbox.viewed", "inbox.request_viewed")
        ]
        stored = await session.get(HandoverRequest, fire)
    assert actions == [
        ("inbox.taken", "staff:aigul"),
        ("inbox.talk_started", "staff:aigul"),
        ("inbox.replied", "staff:aigul"),
        ("inbox.resolved", "staff:berik"),
        ("inbox.talk_ended", "staff:berik"),
    ]
    assert stored is not None
    assert (stored.status, stored.taken_by, stored.resolved_by) == (
        "resolved",
        "staff:aigul",
        "staff:berik",
    )


async def test_somebody_outside_the_bot_is_written_to_by_sms_or_called(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("aigul", "dispatcher")
    alert_id, by_sms = await help_by_sms(console, "+77017654321")
    client = await console.client("aigul")
    page = await (await client.get("/inbox")).text()
    assert "It goes by SMS, with your name and how to stop." in row(page, by_sms)

    written = await client.post(f"/inbox/{by_sms}/reply", {"text": "Help is coming."})
    assert written.status == 303  # by SMS, under the alert they answered (tests/alerts)
    async with console.ctx.sessions() as session:
        sms = (await session.scalars(select(Delivery).where(Delivery.channel == "sms_talk"))).one()
        message = (await session.scalars(select(HelpMessage))).one()
        request = await session.get(HandoverRequest, by_sms)
    assert (sms.alert_id, sms.step) == (alert_id, message.id)
    assert (message.sender, message.channel, message.text) == ("staff", "sms", "Help is coming.")
    assert request is not None and request.talking and request.taken_by == "staff:aigul"
    shown = await client.post(f"/inbox/{by_sms}/phone")
    assert shown.status == 200
    text = await shown.text()
    assert "No bot contact. Call +77017654321" in row(text, by_sms)
    assert '<a href="tel:+77017654321">' in text
    async with console.ctx.sessions() as session:
        assert await session.scalar(select(Notification.id)) is None
        (entry,) = await audit.entries(session, action="inbox.phone_shown")
    assert (entry.actor, entry.subject) == ("staff:aigul", f"handover:{by_sms}")
    assert "+7701" not in str(entry.details)


async def test_new_requests_are_announced(console: ConsoleHarness) -> None:
    await console.add_staff("aigul", "dispatcher")
    client = await console.client("aigul")
    async with client.http.get("/inbox/latest") as empty:
        assert await empty.json() == {"latest": 0, "open": 0}
    someone = await person(console, 5003, Language.KK)
    first = await emergency(console, someone, "flood", place=False)
    async with client.http.get("/inbox/latest") as news:
        assert await news.json() == {"latest": first, "open": 1}
