"""The real bot through telegram-test-api, a Bot API emulator we did not write (issue 17).

The emulator has no setMyCommands: the bot must start polling all the same and keep trying
to publish its menu in the background (finding 2). Onboarding and its buttons work through it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from bot.dialogue.engine import Dialogue
from bot.telegram.app import build_bot, build_dispatcher, publish_commands_in_background
from core.i18n import Catalogs
from core.profile import Language
from tests.interop.node_peers import Event, NodeTelegram
from tests.servers.ports import free_port

TOKEN = "123456:interop-test"


@pytest.fixture
async def emulator() -> AsyncIterator[NodeTelegram]:
    async with NodeTelegram(TOKEN, free_port()) as running:
        yield running


async def _replies(emulator: NodeTelegram, count: int, seconds: float = 30.0) -> list[Event]:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        messages = await emulator.bot_messages()
        if len(messages) >= count:
            return messages
        assert asyncio.get_running_loop().time() < deadline, f"only {len(messages)} replies"
        await asyncio.sleep(0.2)


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
        await asyncio.sleep(3600)  # the next try would come later; the test ends first

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
