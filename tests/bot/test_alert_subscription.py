"""Joining and leaving the warning list in the bot, end to end through the sandbox Bot API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from alerts.models import Registrant
from core.database import SessionFactory
from core.models import Consent, Person
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text

ONBOARDING = {
    "kk": ("1", "мәтін", "дайын"),
    "ru": ("2", "текст", "готово"),
    "en": ("3", "text", "done"),
}


async def reply_to(user: SimUser, text: str, n: int = 1) -> list[dict[str, Any]]:
    await user.send_text(text)
    return await user.wait_for_bot_messages(n, timeout=60)


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message_text(m) for m in messages)


async def onboarded(telegram: SandboxClient, language: str) -> SimUser:
    """A user who chose a language and text answers, and skipped the disability question and
    the region (the warning sign-up asks it)."""
    user = await telegram.add_user("Aigerim", language_code=language)
    number, mode, done = ONBOARDING[language]
    await reply_to(user, "/start")
    await reply_to(user, number)
    await reply_to(user, mode, 2)
    await reply_to(user, done, 2)
    await reply_to(user, done, 2)
    return user


async def subscribed(telegram: SandboxClient, language: str = "en") -> SimUser:
    """An English user on the list by Telegram, region Almaty, no contact person."""
    user = await onboarded(telegram, language)
    await reply_to(user, "warnings")
    await user.press("1. Yes, I agree")
    await user.wait_for_bot_messages(1, timeout=60)
    await reply_to(user, "Almaty")
    await user.press("1. Telegram only")
    await user.wait_for_bot_messages(1, timeout=60)
    await reply_to(user, "no", 2)
    return user


async def registrant_of(sessions: SessionFactory, user: SimUser) -> Registrant | None:
    async with sessions() as session:
        return await session.scalar(
            select(Registrant).where(Registrant.telegram_chat_id == user.user_id)
        )


async def test_subscribe_in_kazakh_by_typed_region(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "kk")
    (consent,) = await reply_to(user, "ескертулер")
    assert message_text(consent).startswith("1-қадам, барлығы 4.")
    assert "мүгедектік түріңіз сақталады" in message_text(consent)
    assert button_texts(consent) == ["1. Иә, келісемін", "2. Жоқ"]
    (region,) = await reply_to(user, "иә")
    assert message_text(region).startswith("2-қадам, барлығы 4.")
    (channels,) = await reply_to(user, "Қарағанды облысы")
    assert message_text(channels).startswith("Аймақ: Қарағанды облысы\n3-қадам")
    assert button_texts(channels) == ["1. Тек Telegram", "2. Telegram және SMS", "3. Тек SMS"]
    (contact,) = await reply_to(user, "бір")
    assert message_text(contact).startswith("4-қадам, барлығы 4.")
    done = await reply_to(user, "жоқ", 2)
    assert message_text(done[0]).startswith("Дайын. Сіз ескерту тізіміндесіз.")
    assert "Қалай жіберіледі: Тек Telegram" in message_text(done[0])
    assert "«тізімнен шығу»" in message_text(done[1])

    registrant = await registrant_of(sessions, user)
    assert registrant is not None
    assert (registrant.region, registrant.language, registrant.wants_sms) == ("35", "kk", False)
    assert (registrant.phone, registrant.contact_phone) == (None, None)
    assert registrant.consent_source == "bot"
    async with sessions() as session:
        consent_row = await session.scalar(select(Consent).where(Consent.topic == "alerts"))
    assert consent_row is not None
    assert (consent_row.text_key, consent_row.version) == ("alerts.consent.text", "1")


async def test_subscribe_by_shared_location_with_sms_after_a_wrong_phone(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "en")
    (consent,) = await reply_to(user, "subscribe me to emergency alerts")
    assert "Rescue services use it only to warn you." in message_text(consent)
    await reply_to(user, "yes")
    await user.share_location(43.25, 76.92)
    (guess,) = await user.wait_for_bot_messages(1, timeout=60)
    assert "I think this is Almaty. Is that right?" in message_text(guess)
    (channels,) = await reply_to(user, "yes")
    assert message_text(channels).startswith("Region: Almaty\nStep 3 of 4.")
    await user.press("2. Telegram and SMS")
    (phone,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(phone).startswith("Step 3 of 4. Send your mobile number")
    (wrong,) = await reply_to(user, "8 727 250 00 00")
    assert message_text(wrong).startswith("This is not a mobile number in Kazakhstan.")
    (contact,) = await reply_to(user, "8 701 234 56 78")
    assert message_text(contact).startswith("Step 4 of 4. If you do not answer a warning")
    (same,) = await reply_to(user, "+77012345678")
    assert message_text(same).startswith("This is your own number.")
    done = await reply_to(user, "+7 705 111 22 33", 2)
    summary = message_text(done[0])
    assert "Warnings by: Telegram and SMS" in summary
    assert "Your phone: +7 701 *** ** 78" in summary
    assert "Contact person: +7 705 *** ** 33" in summary
    assert "stop warnings" in message_text(done[1])

    registrant = await registrant_of(sessions, user)
    assert registrant is not None
    assert (registrant.region, registrant.phone, registrant.contact_phone) == (
        "75",
        "+77012345678",
        "+77051112233",
    )
    assert (registrant.latitude, registrant.longitude, registrant.wants_sms) == (43.25, 76.92, True)


async def test_a_wrong_guess_from_the_location_is_typed_instead(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "ru")
    await reply_to(user, "предупреждения")
    await reply_to(user, "да")
    await user.share_location(43.25, 76.92)
    (guess,) = await user.wait_for_bot_messages(1, timeout=60)
    assert "Я думаю, это город Алматы. Верно?" in message_text(guess)
    (retype,) = await reply_to(user, "нет")
    assert message_text(retype) == "Тогда напишите город или область."
    (unknown,) = await reply_to(user, "Марс")
    assert message_text(unknown).startswith("Я не знаю такого места.")
    (channels,) = await reply_to(user, "Алматинская область")
    assert message_text(channels).startswith("Регион: Алматинская область")
    registrant = await registrant_of(sessions, user)
    assert registrant is None, "nothing is stored before the last step"


async def test_sms_only_and_a_phone_somebody_else_has(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    first = await onboarded(telegram, "en")
    for text in ("warnings", "yes", "Shymkent"):
        await reply_to(first, text)
    await first.press("3. SMS only")
    await first.wait_for_bot_messages(1, timeout=60)
    await reply_to(first, "87012345678")
    await reply_to(first, "no", 2)
    registrant = await registrant_of(sessions, first)
    assert registrant is None, "SMS only: no Telegram chat on the list"
    async with sessions() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == first.user_id))
        assert person is not None
        row = await session.scalar(select(Registrant).where(Registrant.person_id == person.id))
    assert row is not None and (row.phone, row.region) == ("+77012345678", "79")

    second = await onboarded(telegram, "en")
    for text in ("warnings", "yes", "I live in Astana"):
        await reply_to(second, text)
    await second.press("2. Telegram and SMS")
    await second.wait_for_bot_messages(1, timeout=60)
    (taken,) = await reply_to(second, "8 701 234 56 78")
    assert message_text(taken).startswith("This number is already on the list.")


async def test_draft_survives_a_change_of_language_and_stop_drops_it(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "en")
    await reply_to(user, "warnings")
    await reply_to(user, "yes")
    await reply_to(user, "language")
    await user.press("2. Русский")
    changed = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(changed[0]) == "Хорошо. Теперь говорим по-русски."
    assert message_text(changed[1]).startswith("Шаг 2 из 4. Где вы живёте?")
    (channels,) = await reply_to(user, "Астана")
    assert "Шаг 3 из 4" in message_text(channels)
    (stopped,) = await reply_to(user, "стоп")
    assert message_text(stopped) == "Хорошо, остановился."
    assert await registrant_of(sessions, user) is None
    (again,) = await reply_to(user, "предупреждения")
    assert message_text(again).startswith("Шаг 1 из 4.")


async def test_declining_consent_stores_nothing(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "en")
    await reply_to(user, "warnings")
    await user.press("2. No")
    (declined,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(declined) == "OK. I did not add you to the list."
    assert await registrant_of(sessions, user) is None


async def test_joining_again_shows_the_registration(telegram: SandboxClient) -> None:
    user = await subscribed(telegram)
    shown = await reply_to(user, "warnings", 3)
    assert message_text(shown[0]) == "You are already on the warning list."
    assert "Region: Almaty" in message_text(shown[1])
    (kept,) = await reply_to(user, "no")
    assert message_text(kept) == "OK. Nothing has changed."


async def test_unsubscribe_after_yes(telegram: SandboxClient, sessions: SessionFactory) -> None:
    user = await subscribed(telegram)
    assert await registrant_of(sessions, user) is not None
    (asked,) = await reply_to(user, "stop warnings")
    assert "delete your details" in message_text(asked)
    assert button_texts(asked) == ["1. Yes, leave", "2. No, stay"]
    await user.press("1. Yes, leave")
    done = await user.wait_for_bot_messages(2, timeout=60)
    assert (
        message_text(done[0]) == "Done. You are off the warning list. I deleted your details on it."
    )
    assert await registrant_of(sessions, user) is None
    again = await reply_to(user, "unsubscribe", 2)
    assert message_text(again[0]) == "You are not on the warning list."


async def test_my_data_shows_the_registration_and_forget_me_removes_it(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "en")
    for text in ("warnings", "yes", "Almaty"):
        await reply_to(user, text)
    await user.press("2. Telegram and SMS")
    await user.wait_for_bot_messages(1, timeout=60)
    await reply_to(user, "+77012345678")
    await reply_to(user, "+77051112233", 2)

    shown = await reply_to(user, "my data", 3)
    data = message_text(shown[1])
    assert "Warning list:\nRegion: Almaty\nWarnings by: Telegram and SMS" in data
    assert "Your phone: +7 701 *** ** 78" in data
    assert "Contact person: +7 705 *** ** 33" in data
    assert "On the list since 01.01.2026" in data
    assert "Consent: danger warnings, version 1, 01.01.2026" in data
    assert "2345678" not in data and "1112" not in data

    await reply_to(user, "forget me", 2)
    await user.press("1. Yes, delete")
    await user.wait_for_bot_messages(2, timeout=60)
    async with sessions() as session:
        assert await session.scalar(select(Registrant)) is None
        assert await session.scalar(select(Person)) is None


async def test_the_consent_is_read_out_in_voice_mode(telegram: SandboxClient) -> None:
    user = await telegram.add_user("Ainur", language_code="en")
    await reply_to(user, "/start")
    await reply_to(user, "3")
    await reply_to(user, "voice")  # in voice mode each reply is one spoken message
    await reply_to(user, "done")
    (consent,) = await reply_to(user, "warnings")
    assert consent.get("voice"), "blind people hear what they agree to"
    assert "Rescue services use it only to warn you." in message_text(consent)
    assert button_texts(consent) == ["1. Yes, I agree", "2. No"]
