"""An unmodified aiogram Dispatcher polling the sandbox answers simulated users."""

from __future__ import annotations

import asyncio

from aiogram import Dispatcher

from sandbox import SandboxClient


async def test_echo_bot_answers_users(echo_bot: Dispatcher, client: SandboxClient) -> None:
    aigerim = await client.add_user("Aigerim", "kk")
    boris = await client.add_user("Boris", "ru")
    await asyncio.gather(aigerim.send_text("Сәлем"), boris.send_text("Привет"))
    (to_aigerim,) = await aigerim.wait_for_bot_messages(1)
    (to_boris,) = await boris.wait_for_bot_messages(1)
    assert to_aigerim["text"] == "Echo: Сәлем"
    assert to_boris["text"] == "Echo: Привет"
    assert to_aigerim["from"]["is_bot"] is True
    await aigerim.send_text("Көмек керек")
    assert (await aigerim.wait_for_bot_message())["text"] == "Echo: Көмек керек"
    await boris.expect_no_bot_messages(within=0.1)
