"""Booking steps through the sandbox: bad dates, eligibility, voice, drafts, full slots, shared
places, the region's provider, and what a blind person is told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bookings.errors import SlotFull
from bookings.models import Booking
from bookings.service import BookingService
from bot.dialogue.engine import Dialogue
from core.clock import ManualClock
from core.database import SessionFactory
from core.people import People
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.alerts.broadcast import add_registrants
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
from voice.service import Voice


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
