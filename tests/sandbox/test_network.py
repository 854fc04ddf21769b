"""The sandbox as a network peer: a round trip added to every answer, a global send rate
counted when calls arrive (as Telegram counts them), and 429 with retry_after beyond it."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter

from sandbox import SandboxClient


@pytest.mark.realtime
async def test_round_trip_and_rate_limit(bot: Bot, client: SandboxClient) -> None:
    chats = list(await client.add_users(8))
    await client.set_network(latency_ms=300, send_rate=5)

    started = time.monotonic()
    outcomes = await asyncio.gather(
        *(bot.send_message(chat, "Leave the building now.") for chat in chats[:5])
    )
    assert len(outcomes) == 5
    assert time.monotonic() - started >= 0.3, "every answer waits for the round trip"

    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(chats[5], "Leave the building now.")
    assert refused.value.retry_after == 1

    # A second after the five arrived, the window has room again.
    await asyncio.sleep(max(0.0, started + 1.05 - time.monotonic()))
    await bot.send_message(chats[6], "Leave the building now.")

    network = await client.request("GET", "network")
    assert (network["admitted"], network["refused"]) == (6, 1)


async def test_no_limit_by_default(bot: Bot, client: SandboxClient) -> None:
    chats = await client.add_users(50)
    await asyncio.gather(*(bot.send_message(chat, "Hello") for chat in chats))
    network = await client.request("GET", "network")
    assert (network["admitted"], network["refused"]) == (50, 0)
