"""Booking by text and voice through the sandbox, coordinators, reminders, cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bookings.errors import SlotFull
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
from core.people import People
from core.profile import Language
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from tests.alerts.broadcast import add_registrants
from tests.bot.conftest import TOKEN
from voice.service import Voice

MONDAY_9_LOCAL = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_9_LOCAL)


async def onboarded(
    telegram: SandboxClient, language: str, kinds: str, region: str = "skip"
) -> SimUser:
    """Onboarded in text mode with these kinds; the region step skipped unless one is named."""
    user = await telegram.add_user("Saule")
    answers = (("/start", 1), (language, 1), ("1", 2), (kinds, 2), (region, 2))
    for text, replies in answers:
        await user.send_text(text)
        await user.wait_for_bot_messages(replies, timeout=60)
    return user


async def say(user: SimUser, text: str, n: int = 1) -> list[dict[str, Any]]:
    await user.send_text(text)
    return await user.wait_for_bot_messages(n, timeout=20)


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message_text(m) for m in messages)


ADDRESS = "Abay street 10, flat 5"


async def until_read_back(
    user: SimUser, request: str, *, region: str | None = "Astana", address: str = ADDRESS
) -> list[dict[str, Any]]:
    """A request for an interpreter, then where: the region (when the person has none yet)
    and the address. The read-back's three messages."""
    if region is not None:
        await say(user, request)
        request = region
    await say(user, request)
    return await say(user, address, 3)


async def person_of(sessions: SessionFactory, user: SimUser) -> Person:
    async with sessions() as session:
        found = await session.scalar(select(Person).where(Person.telegram_id == user.user_id))
    assert found is not None
    return found


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


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("yesterday at 10", "That time has passed."),
        ("on 31 February at 10", "There is no such date or time."),
        ("tomorrow", "At what time?"),
    ],
)
async def test_bad_dates_get_a_question_not_a_booking(
    telegram: SandboxClient, when: str, expected: str
) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    await say(user, "book a sign language interpreter")
    reply = await say(user, when)
    assert message_text(reply[0]) == expected


async def test_not_eligible_gets_an_explanation(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "3", "1, 2")  # blind, low vision: not deaf
    reply = await say(user, "book a sign language interpreter for tomorrow at 10", 2)
    assert "deaf" in texts(reply).lower() or "hearing" in texts(reply).lower()


async def test_a_social_taxi_by_voice(telegram: SandboxClient, voice: Voice) -> None:
    """Spoken request, spoken time, spoken yes (PocketSphinx, English); the address is typed."""
    user = await onboarded(telegram, "3", "1, 6")  # blind, mobility
    await user.send_voice((await voice.say("I want a taxi tomorrow at ten", Language.EN)).ogg)
    heard = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(heard[0]).startswith("You asked: ")
    if "At what time?" in message_text(heard[1]):
        await user.send_voice((await voice.say("ten o'clock", Language.EN)).ogg)
        await user.wait_for_bot_messages(2, timeout=60)
    await say(user, "Almaty")  # where they live, asked once
    await say(user, "Central clinic, Abay avenue 10")
    await say(user, "6", 3)  # a clinic; the booking is read back
    await user.send_voice((await voice.say("yes", Language.EN)).ogg)
    done = await user.wait_for_bot_messages(3, timeout=60)
    assert "Booked: Social taxi, 24.11.2026 10:00." in texts(done), texts(user.bot_messages)


async def test_the_draft_survives_a_language_change_and_stop_clears_it(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    await say(user, "book a sign language interpreter")
    await say(user, "language")
    await user.press("2. Русский")
    resumed = await user.wait_for_bot_messages(2, timeout=20)
    assert message_text(resumed[0]) == "Хорошо. Теперь говорим по-русски."
    assert message_text(resumed[1]).startswith("Шаг 1 из 5.")
    stopped = await say(user, "стоп")
    assert message_text(stopped[0]) == "Хорошо, остановился."
    after = await say(user, "завтра в 10")
    assert not message_text(after[0]).startswith("Шаг 2 из 5.")


async def test_an_abandoned_draft_expires(telegram: SandboxClient, clock: ManualClock) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    await until_read_back(user, "book a sign language interpreter for tomorrow at 10 for 1 hour")
    clock.tick(60 * 60)
    reply = await say(user, "yes")
    assert message_text(reply[0]) == "This booking has expired. Please start again."


async def test_an_unknown_service_gets_the_list_of_services(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    reply = await say(user, "I want to book a service")
    assert message_text(reply[0]).startswith("Which service do you need?")
    assert len(button_texts(reply[0])) == 5


async def test_a_full_slot_offers_free_times_as_a_numbered_list(
    telegram: SandboxClient, dialogue: Dialogue, sessions: SessionFactory, clock: ManualClock
) -> None:
    bookings: BookingService = dialogue.services.bookings
    ten_tomorrow = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    people = People(clock)
    for number in range(50):  # others take every interpreter at 10:00 tomorrow
        async with sessions.begin() as session:
            other = await people.create(session, 9000 + number, Language.EN)
            other.disability_kinds = ["deaf"]
        try:
            await bookings.request(other, "sign_interpreter", ten_tomorrow, 1)
        except SlotFull:
            break
    user = await onboarded(telegram, "3", "3, 4")
    await until_read_back(user, "book a sign language interpreter for tomorrow at 10 for 1 hour")
    refused = await say(user, "yes", 2)
    assert message_text(refused[0]) == "This time is already taken. Please choose another time."
    offered = button_texts(refused[1])
    assert 1 <= len(offered) <= 4 and offered[0].startswith("1. ")
    read_back = await say(user, "1", 3)
    assert offered[0].removeprefix("1. ") in message_text(read_back[1])


async def test_a_taxi_destination_can_be_a_shared_place(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "3", "1, 6")
    await say(user, "book a social taxi for tomorrow at 10")
    destination = await say(user, "Almaty")
    assert message_text(destination[0]).startswith("Step 3 of 5. Where to?")
    await user.share_location(43.2389, 76.8897)
    (kind,) = await user.wait_for_bot_messages(1, timeout=20)
    assert message_text(kind).startswith("Step 4 of 5")
    read_back = await say(user, "6", 3)
    assert "the place you shared" in message_text(read_back[1])


@pytest.mark.parametrize(
    ("language", "region", "provider", "where", "my_bookings", "hours_left"),
    [
        (
            "1",
            "71",
            "astana-deaf-society",
            "Орны: Астана қаласы, Абай 10",
            "2",
            "биыл 58 сағат қалды",
        ),
        ("2", "79", "shymkent-deaf-society", "Где: город Шымкент, Абай 10", "2", "осталось 58 ч."),
        (
            "3",
            "79",
            "shymkent-deaf-society",
            "Where: Shymkent, Абай 10",
            "my bookings",
            "58 hours left",
        ),
    ],
)
async def test_the_interpreter_comes_from_the_region_of_the_alert_registration(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    region: str,
    provider: str,
    where: str,
    my_bookings: str,
    hours_left: str,
) -> None:
    """Issue 20, finding 5: the region people gave when they signed up for warnings chooses
    the provider (not the first one in the list, in Almaty) and is read back."""
    user = await onboarded(telegram, language, "3, 4")  # deaf, hard of hearing
    person = await person_of(sessions, user)
    await add_registrants(sessions, [{"person_id": person.id, "region": region}])
    request_text = {
        "1": "ертең сағат онда 2 сағатқа ымдау тілі аудармашысын жазыңыз",
        "2": "запишите сурдопереводчика на завтра в 10 на 2 часа",
        "3": "book a sign language interpreter for tomorrow at 10 for 2 hours",
    }[language]
    asked = await until_read_back(user, request_text, region=None, address="Абай 10")
    assert where in message_text(asked[1]).splitlines(), message_text(asked[1])
    await say(user, {"1": "иә", "2": "да", "3": "yes"}[language], 2)
    async with sessions() as session:
        (booked,) = (await session.scalars(select(Booking))).all()
    assert booked.provider_id == provider
    listed = texts(await say(user, my_bookings, 3))
    assert hours_left in listed


@pytest.mark.parametrize(
    ("language", "my_bookings", "none"),
    [
        ("1", "2", "Сізде жазылу жоқ."),
        ("2", "2", "У вас нет записей."),
        ("3", "my bookings", "You have no bookings."),
    ],
)
async def test_a_blind_person_is_not_told_about_interpreter_hours(
    telegram: SandboxClient, language: str, my_bookings: str, none: str
) -> None:
    """Issue 20, finding 5: quotas only of services the person can book."""
    user = await onboarded(telegram, language, "1, 2")  # blind, low vision
    since = len(user.bot_messages)
    await say(user, my_bookings)
    await say(user, my_bookings)  # a reply in parts would show its second part before this
    assert [message_text(m) for m in user.bot_messages[since:]] == [none, none]
