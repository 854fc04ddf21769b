"""How the booking tests talk to the bot: an onboarded person, a message and its answers,
the interpreter's where-questions, and the clock at Monday 9:00 in Astana."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from core.clock import ManualClock
from core.database import SessionFactory
from core.models import Person
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, message_text

MONDAY_9_LOCAL = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


@pytest.fixture(name="clock")
def monday_clock() -> ManualClock:
    """The clock at Monday 9:00 in Astana (the booking tests' `clock`)."""
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
