"""The real aiogram Dispatcher and our dialogue, polling the sandbox Bot API on a random port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from bot.dialogue.engine import Dialogue
from bot.telegram.app import build_bot, build_dispatcher
from bot.telegram.sender import ReplySender
from bot.telegram.voice_refusals import VoiceRefusals
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient

TOKEN = "123456:test-token"


@dataclass
class Sleeps:
    """Stands in for asyncio.sleep in the sender: records the wait and moves on at once."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer("127.0.0.1", 0) as server:
        yield server


@pytest.fixture
async def telegram(
    sandbox: SandboxServer, dialogue: Dialogue, sleeps: Sleeps
) -> AsyncIterator[SandboxClient]:
    """The bot running against the sandbox; yields a client that plays Telegram users."""
    bot = build_bot(TOKEN, sandbox.base_url)
    refusals = VoiceRefusals(dialogue.sessions, dialogue.services.clock)
    dispatcher = build_dispatcher(dialogue, ReplySender(sleep=sleeps, refusals=refusals))
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    async with SandboxClient(sandbox.base_url) as client:
        try:
            yield client
        finally:
            await dispatcher.stop_polling()
            await asyncio.wait_for(polling, 10)
            await bot.session.close()
