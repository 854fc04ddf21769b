"""Booking by text and voice through the sandbox, coordinators, reminders, cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bookings.models import Booking
from bookings.notices import notify, queue_reminders
from bookings.service import BookingService
from bot.dialogue.engine import Dialogue
from bot.telegram.app import build_bot
from bot.telegram.outbox import Outbox
from bot.telegram.sender import ReplySender
from core.clock import ManualClock
from core.database import SessionFactory
from core.models import Person
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.bot.booking_talk import (  # noqa: F401 (the clock fixture)
    ADDRESS,
    MONDAY_9_LOCAL,
    monday_clock,
    onboarded,
    person_of,
    say,
    texts,
    until_read_back,
)
from tests.bot.conftest import TOKEN


@pytest.mark.parametrize(
    ("language", "request_text", "where", "address", "read_back", "yes", "booked", "again"),
    [
        (
            "1",
            "ертең сағат онда 2 сағатқа ымдау тілі аудармашысын жазыңыз",
            ("3-қадам, барлығы 5. Қай жерде тұрасыз?", "Шымкент", "4-қадам, барлығы 5."),
            "Абай көшесі 10, 5-пәтер",
            ("5-қадам, барлығы 5.", "Орны: Шымкент қаласы, Абай көшесі 10, 5-пәтер"),
            "иә",
            "Жазылдым: Ымдау тілі аудармашысы, 24.11.2026 10:00.",
            "3-қадам, барлығы 4. Өткен жолғы мекенжай ма: Абай көшесі 10, 5-пәтер?",
        ),
        (
            "2",
            "запишите сурдопереводчика на завтра в 10 на 2 часа",
            ("Шаг 3 из 5. Где вы живёте?", "я живу в Шымкенте", "Шаг 4 из 5. Куда к вам прийти?"),
            "улица Абая 10, квартира 5",
            ("Шаг 5 из 5.", "Где: город Шымкент, улица Абая 10, квартира 5"),
            "да",
            "Записал: Переводчик жестового языка, 24.11.2026 10:00.",
            "Шаг 3 из 4. Тот же адрес, что в прошлый раз: улица Абая 10, квартира 5?",
        ),
        (
            "3",
            "book a sign language interpreter for tomorrow at 10 for 2 hours",
            ("Step 3 of 5. Where do you live?", "Shymkent", "Step 4 of 5. Where should they"),
            "Abay street 10, flat 5",
            ("Step 5 of 5.", "Where: Shymkent, Abay street 10, flat 5"),
            "yes",
            "Booked: Sign-language interpreter, 24.11.2026 10:00.",
            "Step 3 of 4. Same address as last time: Abay street 10, flat 5?",
        ),
    ],
)
async def test_an_interpreter_is_asked_where_and_the_address_is_read_back(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    request_text: str,
    where: tuple[str, str, str],
    address: str,
    read_back: tuple[str, str],
    yes: str,
    booked: str,
    again: str,
) -> None:
    """Issue 20, finding 5: a person with no region is asked it once (as the warning sign-up
    asks it), then the address where the interpreter comes; both are read back and stored,
    the address with the booking and the region on the person for the next booking. The next
    booking offers the same address ("1 Yes / 2 Another address"), and a yes reads it back."""
    user = await onboarded(telegram, language, "3, 4")  # deaf, hard of hearing
    (region_question,) = await say(user, request_text)
    assert message_text(region_question).startswith(where[0]), message_text(region_question)
    (address_question,) = await say(user, where[1])
    assert message_text(address_question).startswith(where[2]), message_text(address_question)
    asked = await say(user, address, 3)
    assert message_text(asked[0]).startswith(read_back[0])
    assert "24.11.2026 10:00" in message_text(asked[1])
    assert read_back[1] in message_text(asked[1]).splitlines(), message_text(asked[1])
    assert len(button_texts(asked[2])) == 2
    done = await say(user, yes, 2)
    assert message_text(done[0]) == booked
    async with sessions() as session:
        (stored,) = (await session.scalars(select(Booking))).all()
        person = await session.get(Person, stored.person_id)
    assert (stored.address, stored.provider_id) == (address, "shymkent-deaf-society")
    assert person is not None and person.region == "79"
    listed = texts(await say(user, "my bookings" if language == "3" else "2", 3))
    assert "58" in listed
    (asked_again,) = await say(user, request_text.replace("10", "12"))  # the region is known
    assert message_text(asked_again).startswith(again), message_text(asked_again)
    assert len(button_texts(asked_again)) == 2
    same = await say(user, yes, 3)  # the typed yes keeps the address
    assert read_back[1] in message_text(same[1]).splitlines(), message_text(same[1])


async def test_step_by_step_and_remaining_hours(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    first = await say(user, "I want to book a service")
    assert message_text(first[0]) == "Which service do you need? Press a button or type its number."
    await user.press("1. Sign-language interpreter")  # the choice decides how many steps
    (when,) = await user.wait_for_bot_messages(1, timeout=20)
    assert message_text(when).startswith("Step 1 of 5")
    hours = await say(user, "tomorrow at 3 pm")
    assert message_text(hours[0]).startswith("Step 2 of 5")
    assert "60 hours left" in message_text(hours[0])
    region = await say(user, "3")
    assert message_text(region[0]).startswith("Step 3 of 5. Where do you live?")
    address = await say(user, "Astana")
    assert message_text(address[0]).startswith("Step 4 of 5. Where should they come?")
    confirm = await say(user, ADDRESS, 3)
    assert message_text(confirm[0]).startswith("Step 5 of 5.")
    assert "15:00" in message_text(confirm[1]) and "Hours: 3" in message_text(confirm[1])


async def test_beyond_the_quota_is_refused_with_the_hours_left(
    telegram: SandboxClient, dialogue: Dialogue, sessions: SessionFactory, clock: ManualClock
) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    person = await person_of(sessions, user)
    bookings: BookingService = dialogue.services.bookings
    used = 0
    for day in range(1, 32):  # mornings in December until 58 of the 60 hours are booked
        morning = datetime(2026, 12, day, 4, 0, tzinfo=UTC)  # 09:00 local
        if morning.weekday() < 5 and used < 58:
            hours = min(4, 58 - used)
            await bookings.request(person, "sign_interpreter", morning, hours)
            used += hours
    left = await bookings.remaining_hours(person)
    assert left == 2
    await until_read_back(user, "book a sign language interpreter for tomorrow at 9 for 4 hours")
    refused = await say(user, "yes", 2)
    assert f"{left} interpreter hours left" in message_text(refused[0])


async def test_coordinator_confirms_the_person_is_told_and_reminded(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    dialogue: Dialogue,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    await until_read_back(user, "book a sign language interpreter for tomorrow at 10 for 1 hour")
    await say(user, "yes", 2)
    bookings: BookingService = dialogue.services.bookings
    (booking,) = await bookings.my_bookings(await person_of(sessions, user))
    async with sessions.begin() as session:
        event = await bookings.confirm(booking.id, "staff:test", session=session)
        notify(session, event, clock.now())
    services = dialogue.services
    outbox = Outbox(sessions, services.catalogs, clock, ReplySender(), services.voice)
    bot = build_bot(TOKEN, sandbox.base_url)
    try:
        assert await outbox.send_due(bot) == 1
        (told,) = await user.wait_for_bot_messages(1, timeout=60)
        assert message_text(told) == "Confirmed: Sign-language interpreter, 24.11.2026 10:00."
        clock.tick(60 * 60)  # 10:00 today: tomorrow 10:00 is 24 hours away
        for _ in range(2):  # a second pass finds nothing new: never sent twice
            async with sessions.begin() as session:
                await queue_reminders(bookings, session, clock.now())
            await outbox.send_due(bot)
        (reminder,) = await user.wait_for_bot_messages(1, timeout=60)
        assert message_text(reminder).startswith("Reminder: tomorrow")
        await user.expect_no_bot_messages(within=0.3)
    finally:
        await bot.session.close()


async def test_cancelling_frees_the_slot(
    telegram: SandboxClient, dialogue: Dialogue, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    await until_read_back(user, "book a sign language interpreter for tomorrow at 10 for 1 hour")
    await say(user, "yes", 2)
    bookings: BookingService = dialogue.services.bookings
    taken = await bookings.free_slots("sign_interpreter", None, date(2026, 11, 24))
    asked = await say(user, "cancel my booking for tomorrow", 3)
    assert "Cancel it? Answer yes or no." in texts(asked)
    done = await say(user, "yes")
    assert message_text(done[0]) == "I cancelled the booking."
    freed = await bookings.free_slots("sign_interpreter", None, date(2026, 11, 24))
    assert sum(s.free for s in freed) == sum(s.free for s in taken) + 1
