"""A place shared at a booking's and at the warning sign-up's region question goes the one way
every region question takes it (bot.dialogue.features.region_choice.shared_place): its region
from the outlines, asked about for a yes; a place outside Kazakhstan is told so and the question
asked again, never given the nearest region. The real bot, through the sandbox, in kk/ru/en.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from alerts.registry import regions
from bookings.models import Booking
from core.database import SessionFactory
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, message_text
from tests.bot.booking_talk import (  # noqa: F401 (the clock fixture)
    monday_clock,
    onboarded,
    person_of,
    say,
)
from tests.bot.test_alert_subscription import onboarded as onboarded_for_warnings
from tests.bot.test_alert_subscription import registrant_of

BISHKEK = (42.8746, 74.5698)
"""Outside Kazakhstan, but inside the box around it: the older centre-distance guess
(`regions.by_point`) put it in Almaty region."""
ALMATY = (43.238, 76.945)
SHYMKENT = (42.317, 69.596)

WORDS = {  # outside, the region question, the question about Shymkent, yes
    "kk": (
        "Бұл жер Қазақстанда емес.",
        "Қай жерде тұрасыз?",
        "Менің ойымша, бұл – Шымкент қаласы. Дұрыс па?",
        "иә",
    ),
    "ru": (
        "Это место не в Казахстане.",
        "Где вы живёте?",
        "Я думаю, это город Шымкент. Верно?",
        "да",
    ),
    "en": (
        "This place is not in Kazakhstan.",
        "Where do you live?",
        "I think this is Shymkent. Is that right?",
        "yes",
    ),
}


def test_the_place_outside_is_one_the_old_guess_assigned() -> None:
    found = regions.by_point(*BISHKEK)
    assert found is not None and found.code == "19"


async def _outside_then_shymkent(user: SimUser, language: str, step: str) -> None:
    """Bishkek: told it is outside, asked again with the step. Almaty, then Shymkent shared
    instead of a yes: asked about Shymkent."""
    outside, ask, shymkent, _ = WORDS[language]
    await user.share_location(*BISHKEK)
    away = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(away[0]) == outside
    assert message_text(away[1]).startswith(step), message_text(away[1])
    assert ask in message_text(away[1])
    await user.share_location(*ALMATY)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.share_location(*SHYMKENT)
    (asked,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(asked).startswith(f"{step} {shymkent}"), message_text(asked)


@pytest.mark.parametrize(
    ("language", "step", "request_text", "where"),
    [
        ("kk", "3-қадам, барлығы 5.", "ертең сағат онда 2 сағатқа ымдау тілі аудармашысын жазыңыз",
         "Орны: Шымкент қаласы, Абай 10"),
        ("ru", "Шаг 3 из 5.", "запишите сурдопереводчика на завтра в 10 на 2 часа",
         "Где: город Шымкент, Абай 10"),
        ("en", "Step 3 of 5.", "book a sign language interpreter for tomorrow at 10 for 2 hours",
         "Where: Shymkent, Абай 10"),
    ],
)  # fmt: skip
async def test_a_booking_takes_a_shared_place_for_the_region(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    step: str,
    request_text: str,
    where: str,
) -> None:
    """The interpreter's region question: a place in Bishkek is not given Almaty region; a
    place in Shymkent is asked about, and a yes books the Shymkent provider."""
    number = {"kk": "1", "ru": "2", "en": "3"}[language]
    user = await onboarded(telegram, number, "3, 4")
    (asked,) = await say(user, request_text)
    assert message_text(asked).startswith(step), message_text(asked)
    await _outside_then_shymkent(user, language, step)
    assert (await person_of(sessions, user)).region is None, "nothing kept before the yes"
    await say(user, WORDS[language][3])  # the address question
    read_back = await say(user, "Абай 10", 3)
    assert where in message_text(read_back[1]).splitlines(), message_text(read_back[1])
    await say(user, WORDS[language][3], 2)
    async with sessions() as session:
        (booked,) = (await session.scalars(select(Booking))).all()
    assert booked.provider_id == "shymkent-deaf-society"
    assert (await person_of(sessions, user)).region == "79"


@pytest.mark.parametrize(
    ("language", "warnings", "step", "saved", "no_contact"),
    [
        ("kk", "ескертулер", "2-қадам, барлығы 4.", "Аймақ: Шымкент қаласы", "жоқ"),
        ("ru", "предупреждения", "Шаг 2 из 4.", "Регион: город Шымкент", "нет"),
        ("en", "warnings", "Step 2 of 4.", "Region: Shymkent", "no"),
    ],
)
async def test_the_warning_sign_up_takes_a_shared_place_for_the_region(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    warnings: str,
    step: str,
    saved: str,
    no_contact: str,
) -> None:
    """The sign-up's region question: Bishkek is asked again, Shymkent asked about; a yes puts
    the person on the list for Shymkent with the place they shared (warnings may cover part of
    a region)."""
    user = await onboarded_for_warnings(telegram, language)
    await say(user, warnings)
    (asked,) = await say(user, WORDS[language][3])
    assert message_text(asked).startswith(step)
    await _outside_then_shymkent(user, language, step)
    (channels,) = await say(user, WORDS[language][3])
    assert message_text(channels).startswith(saved), message_text(channels)
    await say(user, "1")  # Telegram only
    await say(user, no_contact, 2)
    registrant = await registrant_of(sessions, user)
    assert registrant is not None and registrant.region == "79"
    assert (registrant.latitude, registrant.longitude) == SHYMKENT
