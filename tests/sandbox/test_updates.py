"""getUpdates long-polls, offsets, callback queries and webhook delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.exceptions import TelegramConflictError
from aiogram.methods import SendMessage
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from sandbox import SandboxClient, SandboxServer
from tests.sandbox.conftest import make_bot
from tests.sandbox.test_messages import YES_NO
from tests.waiting import until


async def _polling(server: SandboxServer) -> bool:
    return server.world.updates.polls_waiting == 1


async def test_get_updates_returns_as_soon_as_a_user_writes(
    bot: Bot, client: SandboxClient, server: SandboxServer
) -> None:
    user = await client.add_user("Aruzhan", "kk")
    poll = asyncio.create_task(bot.get_updates(timeout=50))
    await until(lambda: _polling(server))
    assert not poll.done()
    await user.send_text("Сәлем")
    # Woken by the message: a poll left to its 50 s timeout would miss this generous guard.
    updates = await asyncio.wait_for(poll, 25)
    assert server.world.updates.polls_waiting == 0
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.from_user is not None
    assert (message.text, message.chat.id, message.from_user.language_code) == (
        "Сәлем",
        user.chat_id,
        "kk",
    )


async def test_offset_confirms_updates(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Erlan")
    for text in ("one", "two", "three"):
        await user.send_text(text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    assert first[1].update_id == first[0].update_id + 1
    rest = await bot.get_updates(offset=first[1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert await bot.get_updates(offset=rest[0].update_id + 1) == []


async def test_commands_carry_a_bot_command_entity(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Dina")
    await user.send_text("/start hello")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.entities is not None
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")


async def test_pressing_an_inline_button_sends_a_callback_query(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.add_user("Kairat")
    sent = await bot.send_message(user.chat_id, "Confirm?", reply_markup=YES_NO)
    await user.press("Yes")
    (update,) = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    assert (query.data, query.from_user.id, query.message.message_id) == (
        "confirm:yes",
        user.user_id,
        sent.message_id,
    )
    assert query.chat_instance
    assert await bot.answer_callback_query(query.id)
    answer = await user.wait_for_event("callback_answer")
    assert (answer["text"], answer["show_alert"]) == (None, False)
    assert user.callback_answers == [answer]
    with pytest.raises(LookupError, match="no button"):
        await user.press("Maybe")


class Receiver:
    """A small webhook receiver that records what it gets."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.fail_first = fail_first
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        if self.fail_first > 0:
            self.fail_first -= 1
            return web.Response(status=500)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((await request.json(), secret))
        self.arrived.set()
        return web.json_response({})


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield target, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def test_webhook_delivers_with_secret_and_blocks_get_updates(
    bot: Bot, client: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    user = await client.add_user("Madina")
    assert await bot.set_webhook(url, secret_token="s3cret-token_1")
    with pytest.raises(TelegramConflictError):
        await bot.get_updates()
    for text in ("first", "second", "third"):
        await user.send_text(text)
    async with asyncio.timeout(3):
        while len(target.received) < 3:
            target.arrived.clear()
            await target.arrived.wait()
    assert [update["message"]["text"] for update, _ in target.received] == [
        "first",
        "second",
        "third",
    ]
    assert {secret for _, secret in target.received} == {"s3cret-token_1"}
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (url, 0)

    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    await user.send_text("polling again")
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["polling again"]


async def test_webhook_failures_are_recorded_and_retried(
    bot: Bot, client: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    target.fail_first = 1
    user = await client.add_user("Olzhas")
    await bot.set_webhook(url)
    await user.send_text("retry me")
    await asyncio.wait_for(target.arrived.wait(), 3)
    assert target.received[0][1] is None  # no secret was set
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None
    await bot.delete_webhook()


async def test_webhook_reply_with_a_method_is_executed(bot: Bot, client: SandboxClient) -> None:
    async def answer(request: web.Request) -> web.Response:
        update = await request.json()
        chat_id = update["message"]["chat"]["id"]
        return web.json_response({"method": "sendMessage", "chat_id": chat_id, "text": "Hi!"})

    app = web.Application()
    app.router.add_post("/hook", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        user = await client.add_user("Yerbol")
        await user.send_text("hello")
        assert (await user.wait_for_bot_message())["text"] == "Hi!"
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


async def test_aiogram_webhook_handler_replying_in_the_response(
    bot: Bot, client: SandboxClient
) -> None:
    """aiogram's SimpleRequestHandler answers with a multipart method; the sandbox runs it."""
    router = Router()

    @router.message()
    async def reply(message: Message) -> SendMessage:
        return message.answer(f"Webhook echo: {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token="abc").register(
        app, path="/hook"
    )
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        await bot.set_webhook(url, secret_token="abc")
        user = await client.add_user("Aliya")
        await user.send_text("hi")
        assert (await user.wait_for_bot_message())["text"] == "Webhook echo: hi"
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


async def test_a_second_poller_ends_the_first_with_409(bot: Bot, server: SandboxServer) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await until(lambda: _polling(server))
    second = make_bot(server.base_url)
    try:
        assert await second.get_updates() == []
        with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
            await asyncio.wait_for(first, 1)
    finally:
        await second.session.close()
