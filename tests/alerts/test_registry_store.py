"""One registrant per person, whether they came from the list or registered in the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.registry.store import KeyConflict, Outcome, RegistrantKey, upsert
from core.database import SessionFactory

NOW = datetime(2026, 1, 1, tzinfo=UTC)
BOT_CONSENT = {
    "disability_kinds": ["deaf"],
    "language": "kk",
    "region": "75",
    "consent_source": "bot",
    "consent_version": "bot-1",
    "consent_at": NOW,
}


async def test_a_bot_user_who_later_gives_a_phone_stays_one_registrant(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        created, first = await upsert(session, RegistrantKey(telegram_chat_id=42), BOT_CONSENT, NOW)
    later = NOW + timedelta(days=1)
    async with sessions.begin() as session:
        updated, second = await upsert(
            session, RegistrantKey(phone="+77011234567", telegram_chat_id=42), {}, later
        )
    async with sessions.begin() as session:
        same, third = await upsert(
            session, RegistrantKey(phone="+77011234567"), {"language": "kk"}, later + timedelta(1)
        )

    assert (first, second, third) == (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)
    assert created.id == updated.id == same.id
    assert (same.phone, same.telegram_chat_id, same.updated_at) == ("+77011234567", 42, later)
    assert (same.active, same.wants_sms, same.test_group, same.created_at) == (
        True,
        False,
        False,
        NOW,
    )


async def test_a_phone_and_a_chat_of_two_different_people_are_refused(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await upsert(session, RegistrantKey(phone="+77011234567"), BOT_CONSENT, NOW)
        await upsert(session, RegistrantKey(telegram_chat_id=42), BOT_CONSENT, NOW)

    async with sessions.begin() as session:
        with pytest.raises(KeyConflict):
            await upsert(session, RegistrantKey(phone="+77011234567", telegram_chat_id=42), {}, NOW)


async def test_nobody_is_stored_without_a_key_or_with_unknown_fields(
    sessions: SessionFactory,
) -> None:
    with pytest.raises(ValueError, match="phone or a Telegram chat id"):
        RegistrantKey()
    async with sessions.begin() as session:
        with pytest.raises(ValueError, match="not registrant values: name"):
            await upsert(session, RegistrantKey(telegram_chat_id=1), {"name": "x"}, NOW)
