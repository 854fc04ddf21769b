"""Webhook mode: the sandbox pushes updates with Telegram's secret header; others get 401."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.dialogue.engine import Dialogue
from bot.telegram.app import WEBHOOK_PATH, build_bot, build_dispatcher, webhook_app
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.bot.conftest import TOKEN
from tests.servers.ports import free_port

SECRET = "webhook-secret-for-tests"


@pytest.fixture
async def webhook_url(sandbox: SandboxServer, dialogue: Dialogue) -> AsyncIterator[str]:
    bot = build_bot(TOKEN, sandbox.base_url)
    runner = web.AppRunner(webhook_app(build_dispatcher(dialogue), bot, SECRET))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    await bot.set_webhook(url, secret_token=SECRET)
    try:
        yield url
    finally:
        await bot.delete_webhook()
        await runner.cleanup()
        await bot.session.close()


async def test_updates_arrive_by_webhook(sandbox: SandboxServer, webhook_url: str) -> None:
    async with SandboxClient(sandbox.base_url) as client:
        user = await client.add_user("Madina")
        await user.send_text("/start")
        (reply,) = await user.wait_for_bot_messages(1, timeout=60)
    assert "Step 1 of 4" in message_text(reply)


async def test_a_request_without_the_secret_is_refused(webhook_url: str) -> None:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(webhook_url, json=update, headers=headers) as response:
                assert response.status == 401
