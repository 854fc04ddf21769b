"""Coordinators serve the person who booked: who they are (no name is stored), their language
and needs, where; a message through the bot; the phone and the address a service comes to on
an audited click; region filter."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from bookings.service import BookingService
from bot.telegram.app import build_bot
from bot.telegram.outbox import Outbox
from bot.telegram.sender import ReplySender
from core import audit
from core.models import Person
from core.notifications import Notification
from core.people import People
from core.profile import Language
from sandbox.sim_user import SimUser, message_text
from tests.console.conftest import TOKEN
from tests.console.harness import ConsoleHarness
from tests.console.test_bookings_board import ALMATY, at, book, row, rows, today, weekday_after

KK = {"Accept-Language": "kk-KZ,kk;q=0.9"}


async def person(
    console: ConsoleHarness, telegram_id: int, language: Language, *kinds: str
) -> Person:
    async with console.ctx.sessions.begin() as session:
        made = await People(console.ctx.clock).create(session, telegram_id, language)
        made.disability_kinds = list(kinds)
    return made


async def test_a_coordinator_in_kazakh_writes_to_the_person(console: ConsoleHarness) -> None:
    await console.add_staff("saule", "coordinator", regions=("71",))  # Astana only
    user: SimUser = await console.sandbox.add_user("Asel", "kk")
    asel = await person(console, user.chat_id, Language.KK, "deaf", "mobility")
    other = await person(console, 8802, Language.RU, "deaf")
    day = weekday_after(today(console), 2)
    mine = await book(console, asel, at(day, 10))
    elsewhere = await book(console, other, at(day, 11), provider=ALMATY)
    client = await console.client("saule")

    page = await (await client.get("/bookings", headers=KK)).text()
    assert '<html lang="kk">' in page
    assert rows(page) == [mine]  # Almaty's booking is not in Saule's regions
    shown = row(page, mine)
    assert f"№ {asel.id} адам" in shown and "Тілі: Қазақша" in shown
    assert "Қажеттері:" in shown and "Астана" in shown
    assert "Бот арқылы жіберу" in shown and "Телефонды көрсету" in shown

    empty = await client.post(f"/bookings/{mine}/message", {"text": "  "}, headers=KK)
    assert empty.status == 400
    assert "Алдымен хабар жазыңыз." in await empty.text()
    foreign = await client.post(f"/bookings/{elsewhere}/message", {"text": "Сәлем"}, headers=KK)
    assert foreign.status == 404

    words = "Аудармашы ертең сағат 10-да келеді."
    sent = await client.post(
        f"/bookings/{mine}/message", {"text": words, "back": "from=&to="}, headers=KK
    )
    assert sent.status == 303
    after = await (await client.get(sent.headers["Location"], headers=KK)).text()
    assert f"{mine} жазылу туралы хабарыңыз адамға бот арқылы жіберілді." in after

    async with console.ctx.sessions() as session:
        queued = (await session.scalars(select(Notification))).all()[-1]
        messaged = await audit.entries(session, action="booking.messaged")
    assert (queued.person_id, queued.key) == (asel.id, "booking.coordinator_message")
    assert queued.params == {"booking": mine, "text": words}
    assert [(e.actor, e.subject) for e in messaged] == [("staff:saule", f"booking:{mine}")]
    assert words not in str(messaged[0].details)

    bot = build_bot(TOKEN, console.sandbox_url)
    try:
        outbox = Outbox(
            console.ctx.sessions, console.ctx.catalogs, console.ctx.clock, ReplySender()
        )
        assert await outbox.send_due(bot) >= 1
    finally:
        await bot.session.close()
    texts = [message_text(m) for m in await user.wait_for_bot_messages(1, timeout=60)]
    assert texts[-1] == f"{mine} жазылуыңыз туралы үйлестіруші жазады: {words}"


async def test_the_phone_is_shown_on_request_and_audited(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "coordinator")
    with_phone = await person(console, 8803, Language.RU, "deaf")
    async with console.ctx.sessions.begin() as session:
        stored = await session.get(Person, with_phone.id)
        assert stored is not None
        stored.phone = "+77011234567"
    without = await person(console, 8804, Language.EN, "deaf")
    day = weekday_after(today(console), 2)
    called = await book(console, with_phone, at(day, 10))
    silent = await book(console, without, at(day, 11))
    client = await console.client("dana")

    before = await (await client.get("/bookings")).text()
    assert "+77011234567" not in before
    shown = await client.post(f"/bookings/{called}/phone")
    assert shown.status == 200
    text = html.unescape(await shown.text())
    assert "+77011234567" in row(text, called)
    assert "+77011234567" not in row(text, silent)
    none = await client.post(f"/bookings/{silent}/phone")
    assert none.status == 409
    assert "has not shared a phone" in await none.text()

    async with console.ctx.sessions() as session:
        revealed = await audit.entries(session, action="booking.phone_shown")
        viewed = await audit.entries(session, action="bookings.viewed")
    assert [(e.actor, e.subject) for e in revealed] == [("staff:dana", f"booking:{called}")]
    assert "+7701" not in str(revealed[0].details)
    assert viewed and all(e.actor == "staff:dana" for e in viewed)


async def test_the_region_filter_stays_inside_the_coordinators_regions(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("root", "admin")
    await console.add_staff("saule", "coordinator", regions=("71",))
    day = weekday_after(today(console), 2)
    astana = await book(console, await person(console, 8805, Language.RU, "deaf"), at(day, 10))
    almaty = await book(
        console, await person(console, 8806, Language.RU, "deaf"), at(day, 11), provider=ALMATY
    )
    admin = await console.client("root")
    assert rows(await (await admin.get("/bookings")).text()) == [astana, almaty]
    assert rows(await (await admin.get("/bookings?region=75")).text()) == [almaty]
    saule = await console.client("saule")
    page = await (await saule.get("/bookings?region=75")).text()
    assert rows(page) == [astana]  # a region outside hers is not offered, nor obeyed
    assert not re.search(r'<option value="75"', page)


async def test_the_address_a_service_comes_to_is_shown_on_request_and_audited(
    console: ConsoleHarness,
) -> None:
    """Issue 21: where the interpreter comes, for the coordinator of that region only, on an
    audited click (as the phone); the log names the booking, never the address."""
    await console.add_staff("saule", "coordinator", regions=("71",))  # Astana only
    ru = {"Accept-Language": "ru-RU,ru;q=0.9"}
    service = BookingService(console.ctx.sessions, console.ctx.clock)
    day = weekday_after(today(console), 2)
    home = "улица Абая 10, квартира 5"
    asel = await person(console, 8807, Language.RU, "deaf")
    event = await service.request(
        asel, "sign_interpreter", at(day, 10), 1, region="71", address=home
    )
    with_address = event.booking.id
    without = await book(console, await person(console, 8808, Language.RU, "deaf"), at(day, 11))
    elsewhere = await service.request(
        await person(console, 8809, Language.RU, "deaf"),
        "sign_interpreter",
        at(day, 12),
        1,
        region="75",
        address="проспект Достык 1",
    )
    client = await console.client("saule")

    page = await (await client.get("/bookings", headers=ru)).text()
    assert home not in html.unescape(page) and "Достык" not in html.unescape(page)
    shown_row = row(page, with_address)
    assert "По адресу, который дал человек" in shown_row and "Показать адрес" in shown_row
    assert "Показать адрес" not in row(page, without)  # no address given: nothing to show

    shown = await client.post(
        f"/bookings/{with_address}/address", {"back": "from=&to="}, headers=ru
    )
    assert shown.status == 200
    text = await shown.text()
    assert f"Адрес: {home}" in row(text, with_address)
    assert f"Адрес из записи {with_address} виден в её строке." in html.unescape(text)
    assert home not in row(text, without)
    none = await client.post(f"/bookings/{without}/address", headers=ru)
    assert none.status == 409
    assert f"В записи {without} нет адреса." in html.unescape(await none.text())
    foreign = await client.post(f"/bookings/{elsewhere.booking.id}/address", headers=ru)
    assert foreign.status == 404
    assert "Достык" not in html.unescape(await foreign.text())

    async with console.ctx.sessions() as session:
        revealed = await audit.entries(session, action="booking.address_shown")
    assert [(e.actor, e.subject) for e in revealed] == [("staff:saule", f"booking:{with_address}")]
    assert "Абая" not in str(revealed[0].details)
