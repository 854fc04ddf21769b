"""An aiogram Bot sends, edits and formats messages in the sandbox and gets Telegram's errors."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from sandbox import SandboxClient, SandboxServer
from tests.sandbox.conftest import make_bot

YES_NO = InlineKeyboardMarkup(
    inline_keyboard=[
        [
            InlineKeyboardButton(text="Yes", callback_data="confirm:yes"),
            InlineKeyboardButton(text="No", callback_data="confirm:no"),
        ]
    ]
)


async def test_get_me_describes_the_sandbox_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        123456789,
        True,
        "Kömek",
        "komek_sandbox_bot",
    )
    assert me.can_join_groups is False
    assert me.supports_inline_queries is False


async def test_send_message_with_inline_keyboard(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Aigerim", "kk")
    sent = await bot.send_message(user.chat_id, "Book an interpreter?", reply_markup=YES_NO)
    assert sent.chat.id == user.chat_id
    assert sent.chat.type == "private"
    assert sent.from_user is not None
    assert sent.from_user.is_bot
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump(exclude_none=True) == YES_NO.model_dump(exclude_none=True)

    seen = await user.wait_for_bot_message()
    assert seen["message_id"] == sent.message_id
    assert seen["text"] == "Book an interpreter?"
    assert [b["text"] for b in seen["reply_markup"]["inline_keyboard"][0]] == ["Yes", "No"]


async def test_html_is_parsed_into_entities(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Dana")
    sent = await bot.send_message(user.chat_id, "<b>Step 2 of 3</b> &amp; more", parse_mode="HTML")
    assert sent.text == "Step 2 of 3 & more"
    assert sent.entities is not None
    assert (sent.entities[0].type, sent.entities[0].offset, sent.entities[0].length) == (
        "bold",
        0,
        11,
    )
    event = (await user.sync())[-1]
    assert event["parse_mode"] == "HTML"
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(user.chat_id, "<div>x</div>", parse_mode="HTML")


async def test_reply_keyboard_is_stored_with_the_message(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Arman", "ru")
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Да"), KeyboardButton(text="Нет")]], resize_keyboard=True
    )
    sent = await bot.send_message(user.chat_id, "Подтвердить?", reply_markup=keyboard)
    assert sent.reply_markup is None  # a Message only ever carries inline keyboards
    message = await user.wait_for_bot_message()
    assert message["reply_markup"]["keyboard"] == [[{"text": "Да"}, {"text": "Нет"}]]
    assert user.reply_keyboard is not None

    await user.press("Да")
    assert user.events[-1]["kind"] == "user_message"
    assert user.events[-1]["message"]["text"] == "Да"

    await bot.send_message(user.chat_id, "Готово", reply_markup=ReplyKeyboardRemove())
    await user.wait_for_bot_message()
    assert user.reply_keyboard is None


async def test_text_longer_than_4096_is_refused(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Aidos")
    await bot.send_message(user.chat_id, "я" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.chat_id, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(user.chat_id, "   ")


async def test_unknown_chat_is_not_found(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "hello")


async def test_retry_after_fault_raises_telegram_retry_after(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.add_user("Saule")
    await user.set_retry_after(7, count=2)
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(user.chat_id, "Leave the building now.")
        assert caught.value.retry_after == 7
    await bot.send_message(user.chat_id, "Leave the building now.")
    assert [m["text"] for m in await user.wait_for_bot_messages(1)] == ["Leave the building now."]


async def test_blocked_fault_raises_forbidden_until_cleared(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.add_user("Nurlan")
    await user.block_bot()
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(user.chat_id, "hello")
    await user.clear_faults()
    await bot.send_message(user.chat_id, "hello")


async def test_edits_and_not_modified(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Gulnar")
    sent = await bot.send_message(user.chat_id, "Choose", reply_markup=YES_NO)
    edited = await bot.edit_message_text(
        text="Chosen: yes", chat_id=user.chat_id, message_id=sent.message_id
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Chosen: yes"
    assert edited.edit_date is not None
    assert edited.reply_markup is None
    await user.sync()
    assert user.last_bot_message is not None
    assert user.last_bot_message["text"] == "Chosen: yes"
    assert user.events[-1]["kind"] == "bot_edit"

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="Chosen: yes", chat_id=user.chat_id, message_id=sent.message_id
        )
    await bot.edit_message_reply_markup(
        chat_id=user.chat_id, message_id=sent.message_id, reply_markup=YES_NO
    )
    await user.sync()
    assert user.last_bot_message["reply_markup"] == YES_NO.model_dump(exclude_none=True)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=user.chat_id, message_id=999)


async def test_chat_action_and_commands(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Ainur", "kk")
    assert await bot.send_chat_action(user.chat_id, "record_voice")
    assert (await user.wait_for_event("chat_action"))["action"] == "record_voice"

    commands = [BotCommand(command="help", description="Көмек")]
    assert await bot.set_my_commands(commands, language_code="kk")
    got = await bot.get_my_commands(language_code="kk")
    assert [c.model_dump() for c in got] == [c.model_dump() for c in commands]
    assert (await client.bot_info("kk"))["commands"] == [
        {"command": "help", "description": "Көмек"}
    ]
    assert await bot.delete_my_commands(language_code="kk")
    assert await bot.get_my_commands(language_code="kk") == []


async def test_unknown_method_is_404(server: SandboxServer) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{server.base_url}/bot1:abc/sendSticker"
        async with session.post(url, json={"chat_id": 1}) as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }


async def test_json_and_urlencoded_bodies(server: SandboxServer, client: SandboxClient) -> None:
    user = await client.add_user("Yerlan")
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    async with aiohttp.ClientSession() as session:
        url = f"{server.base_url}/bot1:abc/sendMessage"
        payload = {"chat_id": user.chat_id, "text": "json", "reply_markup": markup}
        async with session.post(url, json=payload) as response:
            body = await response.json()
        assert body["ok"] is True
        assert body["result"]["reply_markup"] == markup
        form = {"chat_id": str(user.chat_id), "text": "form"}
        async with session.post(url, data=form) as response:
            assert (await response.json())["result"]["text"] == "form"
    assert [m["text"] for m in await user.wait_for_bot_messages(2)] == ["json", "form"]


async def test_a_fixed_token_refuses_other_tokens() -> None:
    async with SandboxServer(token="42:right") as server:
        right, wrong = make_bot(server.base_url, "42:right"), make_bot(server.base_url, "42:wrong")
        try:
            assert (await right.get_me()).id == 42
            with pytest.raises(TelegramUnauthorizedError):
                await wrong.get_me()
        finally:
            await right.session.close()
            await wrong.session.close()


async def test_malformed_token_is_not_found(server: SandboxServer) -> None:
    url = f"{server.base_url}/botnotatoken/getMe"
    async with aiohttp.ClientSession() as session, session.post(url) as response:
        assert response.status == 404
        assert (await response.json())["ok"] is False
