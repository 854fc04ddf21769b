"""The real bot through telegram-test-api, a Bot API emulator we did not write (issue 17).

The emulator has no setMyCommands: the bot must start polling all the same and keep trying
to publish its menu in the background (finding 2). Onboarding, the sign-up for warnings and
a warning's answer buttons work by pressing the buttons through it (with the shim that gives
the emulator's button presses what the Bot API always sends: tests/interop/node_telegram.js).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from alerts.channels.base import Outgoing
from alerts.models import AlertRecipient, Registrant
from bot.dialogue.engine import Dialogue
from bot.telegram.alert_channel import TelegramAlertChannel
from bot.telegram.app import build_bot, build_dispatcher, publish_commands_in_background
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.profile import Language
from tests.alerts.broadcast import alert_received
from tests.interop.node_peers import Event, NodeTelegram
from tests.servers.ports import free_port
from tests.waiting import until

TOKEN = "123456:interop-test"
USER = 7001
"""The emulator's one user and chat (tests/interop/node_telegram.js)."""


@pytest.fixture
async def emulator() -> AsyncIterator[NodeTelegram]:
    async with NodeTelegram(TOKEN, free_port()) as running:
        yield running


async def _replies(emulator: NodeTelegram, count: int, seconds: float = 30.0) -> list[Event]:
    """The bot's messages in the emulator, once there are at least `count`."""
    messages: list[Event] = []

    async def enough() -> bool:
        nonlocal messages
        messages = await emulator.bot_messages()
        return len(messages) >= count

    await until(enough, seconds, every=0.2)
    return messages


def _buttons(message: Event) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


async def test_the_bot_polls_and_onboards_without_set_my_commands(
    emulator: NodeTelegram, dialogue: Dialogue
) -> None:
    bot = build_bot(TOKEN, emulator.url)
    dispatcher = build_dispatcher(dialogue)
    waits: list[float] = []

    async def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.Event().wait()  # the next try would come later; the test ends first

    commands = asyncio.create_task(
        publish_commands_in_background(bot, Catalogs.load(), Language.EN, sleep=recorded_sleep)
    )
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        await emulator.command("command", text="/start")
        (welcome,) = await _replies(emulator, 1)
        choices = _buttons(welcome)
        assert len(choices) >= 3, "the language choice comes as buttons"
        assert any("English" in label for label, _ in choices)
        await emulator.command("send", text="3")  # the typed equivalent of the English button
        replies = await _replies(emulator, 2)
        assert _buttons(replies[1]), "the next onboarding step, in English, with its choices"
        assert waits and waits[0] > 0, "setMyCommands failed and is retried later"
        assert not commands.done()
    finally:
        commands.cancel()
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 10)
        await bot.session.close()


async def _press(emulator: NodeTelegram, label: str, replies: int = 1) -> list[Event]:
    """Press the button called `label` on the bot's latest message that has it, through the
    emulator; the bot's `replies` messages after the press."""
    before = await emulator.bot_messages()
    bearing = [m for m in before if any(text == label for text, _ in _buttons(m))]
    assert bearing, f"no button {label!r}"
    data = next(data for text, data in _buttons(bearing[-1]) if text == label)
    await emulator.command("press", message_id=bearing[-1]["message_id"], data=data)
    return (await _replies(emulator, len(before) + replies))[len(before) :]


async def _say(emulator: NodeTelegram, text: str, replies: int = 1) -> list[Event]:
    before = len(await emulator.bot_messages())
    await emulator.command("send", text=text)
    return (await _replies(emulator, before + replies))[before:]


async def _warn(emulator: NodeTelegram, sessions: SessionFactory, clock: ManualClock) -> int:
    """A warning stored for the emulator's user and sent by the fan-out's Telegram channel."""
    async with sessions.begin() as session:
        registrant = await session.scalar(
            select(Registrant).where(Registrant.telegram_chat_id == USER)
        )
        assert registrant is not None, "the buttons put the user on the list"
        assert registrant.disability_kinds == ["deaf"]
        stored = await alert_received(
            session, registrant.id, identifier="quake-interop", language="en", now=clock.now()
        )
    bot = build_bot(TOKEN, emulator.url)
    try:
        await TelegramAlertChannel(bot, Catalogs.load()).send(
            Outgoing(
                key=f"{stored.id}:telegram:0",
                delivery_id=stored.id,
                alert_id=stored.id,
                language="en",
                text="Leave the building now. Strong earthquake in Almaty.",
                chat_id=USER,
            )
        )
    finally:
        await bot.session.close()
    return stored.id


async def test_onboarding_and_the_alert_buttons_work_by_pressing_them(
    emulator: NodeTelegram, dialogue: Dialogue, sessions: SessionFactory, clock: ManualClock
) -> None:
    bot = build_bot(TOKEN, emulator.url)
    dispatcher = build_dispatcher(dialogue)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        await emulator.command("command", text="/start")
        await _replies(emulator, 1)
        (mode,) = await _press(emulator, "3. English")
        assert mode["text"].startswith("Step 2 of 4.")
        await _press(emulator, "1. Text", 2)
        (saved,) = await _press(emulator, "3. Deaf")
        assert saved["text"].startswith("Saved: Deaf.")
        where, _why = await _press(emulator, "8. Done", 2)
        assert where["text"].startswith("Step 4 of 4. Where do you live?")
        done, _menu = await _press(emulator, "21. Skip", 2)  # the warnings ask it next
        assert done["text"].startswith("All set.")
        await _say(emulator, "warnings")
        (region,) = await _press(emulator, "1. Yes, I agree")
        assert region["text"].startswith("Step 2 of 4.")
        await _say(emulator, "Almaty")
        await _press(emulator, "1. Telegram only")
        await _say(emulator, "no", 2)

        alert_id = await _warn(emulator, sessions, clock)
        warning = (await emulator.bot_messages())[-1]
        assert [label for label, _ in _buttons(warning)] == ["I'm safe", "I need help"]
        (thanks,) = await _press(emulator, "I'm safe")
        assert thanks["text"] == "Thank you. I told the rescue services that you are safe."
        async with sessions() as session:
            answered = await session.scalar(
                select(AlertRecipient).where(AlertRecipient.alert_id == alert_id)
            )
        assert answered is not None
        assert (answered.answer, answered.answered_via) == ("safe", "button")
        assert answered.next_step_at is None
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 10)
        await bot.session.close()
