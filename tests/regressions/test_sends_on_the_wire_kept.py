"""A process's first call through aiogram leaves the alerts on the wire alone.

Alert texts go as prepared JSON over kept-alive connections of their own; every other call
(a voice note's upload, getMe) goes through aiogram, which resets its session before its first
request by calling `close()`. That `close()` also closed the kept-alive connections, with the
messages on them: their answers were lost, and the alerts were sent again, in doubt. In the
scale-out test each new worker's first voice note did it (nine rows in doubt at once, "the Bot
API closed the connection").

The sandbox answers after a round trip long enough that the text is surely still on the wire
when the other call starts; nothing is timed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage

from bot.telegram.app import build_bot
from bot.telegram.session import JsonSession, prepare
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.waiting import until

TOKEN = "123456:on-the-wire"
ROUND_TRIP_MS = 2000


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxClient]:
    async with SandboxServer("127.0.0.1", 0) as server, SandboxClient(server.base_url) as client:
        yield client


@pytest.fixture
async def bot(sandbox: SandboxClient) -> AsyncIterator[Bot]:
    made = build_bot(TOKEN, sandbox.base_url)
    try:
        yield made
    finally:
        await made.session.close()


def _waiting_for_an_answer(session: JsonSession) -> bool:
    """A prepared request was written and its answer has not come yet."""
    return any(
        connection._answer is not None and not connection._answer.done()
        for pool in session._pools.values()
        for connection in pool._all
    )


async def test_an_alert_on_the_wire_is_answered_after_a_first_call_through_aiogram(
    sandbox: SandboxClient, bot: Bot
) -> None:
    session = bot.session
    assert isinstance(session, JsonSession)
    (chat,) = await sandbox.add_users(1)
    await sandbox.set_network(latency_ms=ROUND_TRIP_MS)
    call = prepare(bot, SendMessage(chat_id=0, text="Leave the building now."))
    assert call is not None
    sending = asyncio.create_task(session.send_prepared(bot, call, chat))

    async def on_the_wire() -> bool:
        return _waiting_for_an_answer(session)

    await until(on_the_wire)
    me = await bot.get_me()  # the process's first call through aiogram
    assert me.is_bot

    answer = await sending  # before: TelegramNetworkError, "the Bot API closed the connection"
    assert isinstance(answer["message_id"], int)
    assert await sandbox.message_counts() == {chat: 1}
