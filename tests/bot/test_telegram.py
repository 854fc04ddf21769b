"""End to end: simulated Telegram users talk to the real aiogram bot through the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.dialogue.turns import Reply
from bot.telegram.app import build_bot
from bot.telegram.sender import Delivery, ReplySender
from core.database import SessionFactory
from core.models import HandoverRequest, Person
from core.profile import Language
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from tests.bot.conftest import TOKEN, Sleeps
from tests.waiting import until


async def reply_to(user: SimUser, text: str, n: int = 1) -> list[dict[str, Any]]:
    await user.send_text(text)
    return await user.wait_for_bot_messages(n, timeout=60)  # a bound for a busy machine


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message_text(m) for m in messages)


async def stored(sessions: SessionFactory, user: SimUser) -> Person | None:
    async with sessions() as session:
        return await session.scalar(select(Person).where(Person.telegram_id == user.user_id))


@pytest.mark.parametrize(
    ("language_button", "mode_button", "step2", "step4", "done_word", "language"),
    [
        ("1. Қазақша", "1. Мәтін", "2-қадам, барлығы 4.", "4-қадам, барлығы 4.", "Бәрі дайын",
         Language.KK),
        ("2. Русский", "2. Голос", "Шаг 2 из 4.", "Шаг 4 из 4.", "Всё готово", Language.RU),
        ("3. English", "3. Voice and text", "Step 2 of 4.", "Step 4 of 4.", "All set",
         Language.EN),
    ],
)  # fmt: skip
async def test_onboarding_by_buttons(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language_button: str,
    mode_button: str,
    step2: str,
    step4: str,
    done_word: str,
    language: Language,
) -> None:
    user = await telegram.add_user("Aigerim", language_code="kk")
    (first,) = await reply_to(user, "/start")
    assert "1-қадам" in message_text(first) and "Step 1 of 4" in message_text(first)
    assert button_texts(first) == ["1. Қазақша", "2. Русский", "3. English"]
    await user.press(language_button)
    (second,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(second).startswith(step2)
    await user.press(mode_button)
    parts = 2 if mode_button.startswith("1.") else 1  # by voice a whole reply is one message
    third = await user.wait_for_bot_messages(parts, timeout=60)
    await user.press(button_texts(third[-1])[-1])  # the last button: done / skip
    fourth = await user.wait_for_bot_messages(parts, timeout=60)
    assert message_text(fourth[0]).startswith(step4)
    await user.press(button_texts(fourth[-1])[-1])  # the last button: skip the region
    done = await user.wait_for_bot_messages(parts, timeout=60)
    assert message_text(done[0]).startswith(done_word)
    assert len(button_texts(done[-1])) == 10
    person = await stored(sessions, user)
    assert person is not None and person.language == language and person.region is None
    assert all(not answer.get("text") for answer in user.callback_answers), "no pop-up toasts"


async def test_onboarding_by_typed_answers_in_kazakh(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await telegram.add_user("Ерлан", language_code="ru")
    await reply_to(user, "сәлем")
    assert "2-қадам" in texts(await reply_to(user, "казакша"))
    assert "3-қадам" in texts(await reply_to(user, "екі"))  # by voice: one spoken message
    assert "4-қадам" in texts(await reply_to(user, "1 3"))
    assert "Бәрі дайын" in texts(await reply_to(user, "Шымкентте тұрамын"))
    person = await stored(sessions, user)
    assert person is not None
    assert (person.answer_mode, person.disability_kinds) == ("voice", ["blind", "deaf"])
    assert person.region == "79"


async def onboarded(telegram: SandboxClient, language: str = "3") -> SimUser:
    user = await telegram.add_user("Dana", language_code="en")
    await reply_to(user, "/start")
    await reply_to(user, language)
    await reply_to(user, "1", 2)
    await reply_to(user, "skip", 2)  # no disability kinds
    await reply_to(user, "skip", 2)  # no region
    return user


async def test_repeat_and_change_language_mid_conversation(telegram: SandboxClient) -> None:
    user = await onboarded(telegram)
    shown = await reply_to(user, "my data", 3)
    again = await reply_to(user, "repeat", 3)
    assert texts(again) == texts(shown)
    await reply_to(user, "language")
    await user.press("2. Русский")
    (changed,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(changed) == "Хорошо. Теперь говорим по-русски."
    (repeated,) = await reply_to(user, "повтори")
    assert message_text(repeated) == message_text(changed)
    assert button_texts(repeated)[0] == "1. Записаться"


async def test_forget_me_after_yes(telegram: SandboxClient, sessions: SessionFactory) -> None:
    user = await onboarded(telegram)
    asked = await reply_to(user, "forget me", 2)
    assert button_texts(asked[-1]) == ["1. Yes, delete", "2. No, keep"]
    await user.press("1. Yes, delete")
    done = await user.wait_for_bot_messages(2, timeout=60)
    assert "I deleted your data" in texts(done)
    assert await stored(sessions, user) is None


async def test_a_10000_character_reply_arrives_in_pieces(
    sandbox: SandboxServer, telegram: SandboxClient
) -> None:
    user = await telegram.add_user("Asel")
    long_text = " ".join(f"This is sentence {i} of a long answer." for i in range(300))
    assert len(long_text) > 10_000
    bot = build_bot(TOKEN, sandbox.base_url)
    try:
        reply = Reply(language=Language.EN, parts=(long_text,))
        assert await ReplySender().send(bot, user.chat_id, reply) is Delivery.SENT
    finally:
        await bot.session.close()
    pieces = await user.wait_for_bot_messages(3, timeout=60)
    assert all(len(message_text(p)) <= 4096 and message_text(p).endswith(".") for p in pieces)
    assert " ".join(message_text(p) for p in pieces) == long_text


async def test_flooding_gets_one_polite_message(telegram: SandboxClient, dialogue: Any) -> None:
    user = await onboarded(telegram)
    dialogue._flood._limit = 3
    dialogue._flood._recent.clear()
    for _ in range(6):
        await user.send_text("hello")
    messages = await user.wait_for_bot_messages(3 + 1, timeout=60)
    await user.expect_no_bot_messages(within=0.5)
    warnings = [m for m in messages if "very fast" in message_text(m)]
    assert len(warnings) == 1


async def test_429_is_waited_out_and_retried(telegram: SandboxClient, sleeps: Sleeps) -> None:
    user = await telegram.add_user("Nurlan")
    await user.set_retry_after(3, count=2)
    (reply,) = await reply_to(user, "/start")
    assert "Step 1 of 4" in message_text(reply)
    assert sleeps.waits == [3, 3]


async def test_403_from_a_blocked_user_is_noted_and_the_bot_keeps_working(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    blocker = await telegram.add_user("Blocker")
    await blocker.block_bot()
    await blocker.send_text("/start")
    other = await telegram.add_user("Other")
    (reply,) = await reply_to(other, "/start")
    assert "Step 1 of 4" in message_text(reply)

    async def blocked_is_recorded() -> bool:  # the blocker's turn runs beside the other's
        person = await stored(sessions, blocker)
        return person is not None and person.blocked_bot_at is not None

    await until(blocked_is_recorded)


async def test_a_document_that_is_not_audio_gets_a_clear_reply(telegram: SandboxClient) -> None:
    user = await onboarded(telegram)
    await user.send_document(b"%PDF-1.4 not audio", "letter.pdf", "application/pdf")
    (reply,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(reply) == (
        "I could not play this file. Please send a voice message or an audio file."
    )


async def test_the_help_command_shows_the_menu_not_the_emergency_answer(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram)
    await user.send_text("/help")
    replies = await user.wait_for_bot_messages(2, timeout=60)
    assert button_texts(replies[-1]), "the menu's buttons"
    assert not any("112" in message_text(m) for m in replies)
    async with sessions() as session:
        requests = await session.scalar(select(func.count()).select_from(HandoverRequest))
    assert requests == 0
