"""The control API's routes and JSON shapes, and the web page's files."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import aiohttp
import pytest
from aiogram import Bot

from sandbox import SandboxClient, SandboxError, SandboxServer, World
from tests.sandbox.conftest import make_bot
from tests.waiting import until


async def test_users_are_created_and_listed(client: SandboxClient) -> None:
    user = await client.add_user("Aigerim", "kk")
    assert (user.user_id, user.chat_id, user.language_code) == (100001, 100001, "kk")
    listed = await client.users()
    assert listed == [
        {
            "user_id": 100001,
            "chat_id": 100001,
            "first_name": "Aigerim",
            "last_name": None,
            "username": None,
            "language_code": "kk",
        }
    ]
    health = await client.health()
    assert health["ok"] is True
    assert health["users"] == 1
    with pytest.raises(SandboxError) as refused:
        await client.request("POST", "users", json={"first_name": " "})
    assert refused.value.status == 400
    with pytest.raises(SandboxError) as missing:
        await client.request("GET", "chats/5/events")
    assert missing.value.status == 404


async def test_events_long_poll_wakes_on_a_bot_message(
    bot: Bot, client: SandboxClient, server: SandboxServer
) -> None:
    user = await client.add_user("Berik")
    waiting = asyncio.create_task(client.events(user.chat_id, after=0, wait=50))
    log = server.world.chat(user.chat_id)

    async def polling() -> bool:
        return log.polls_waiting == 1

    await until(polling)
    assert not waiting.done()
    await bot.send_message(user.chat_id, "Hello")
    # Woken by the message: a poll left to its 50 s wait would miss this generous guard.
    result = await asyncio.wait_for(waiting, 25)
    assert log.polls_waiting == 0
    assert result["last_seq"] == 1
    (event,) = result["events"]
    assert (event["seq"], event["kind"], event["message"]["text"]) == (1, "bot_message", "Hello")
    assert (await client.events(user.chat_id, after=1, wait=0.05))["events"] == []


async def test_location_and_user_message_events(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Svetlana", "ru")
    sent = await user.share_location(43.238949, 76.889709)
    assert sent["location"] == {"latitude": 43.238949, "longitude": 76.889709}
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.location is not None
    assert update.message.location.latitude == pytest.approx(43.238949)
    await user.sync()
    assert [event["kind"] for event in user.events] == ["user_message"]
    assert user.events[0]["message"]["location"]["latitude"] == pytest.approx(43.238949)
    with pytest.raises(SandboxError):
        await user.share_location(100, 0)


async def test_faults_routes(client: SandboxClient) -> None:
    user = await client.add_user("Askar")
    faults = await client.set_faults(user.chat_id, retry_after=3, count=2)
    assert faults == {
        "retry_after": 3,
        "count": 2,
        "blocked": False,
        "server_errors": 0,
        "voice_forbidden": False,
        "lost_answers": 0,
    }
    assert (await client.set_faults(user.chat_id, blocked=True))["blocked"] is True
    assert await client.clear_faults(user.chat_id) == {
        "retry_after": 0,
        "count": 0,
        "blocked": False,
        "server_errors": 0,
        "voice_forbidden": False,
        "lost_answers": 0,
    }


async def test_injected_clock_dates_messages() -> None:
    moment = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    async with SandboxServer(world=World(clock=lambda: moment)) as server:
        user = server.world.add_user("Aliya")
        other = make_bot(server.base_url)
        sent = await other.send_message(user.id, "Time check")
        assert sent.date == moment
        await other.session.close()


async def test_page_and_static_files_are_served(server: SandboxServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(server.base_url + "/") as response:
            assert response.status == 200
            assert response.content_type == "text/html"
            page = await response.text()
        assert 'lang="en"' in page
        assert 'aria-live="polite"' in page
        for name, content_type in (("chat.js", "text/javascript"), ("chat.css", "text/css")):
            async with session.get(f"{server.base_url}/static/{name}") as response:
                assert (response.status, response.content_type) == (200, content_type)
        async with session.get(server.base_url + "/static/missing.js") as response:
            assert response.status == 404


async def test_changing_a_users_language(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Ivan", "ru")
    changed = await client.request("PATCH", f"users/{user.user_id}", json={"language_code": "kk"})
    assert changed["language_code"] == "kk"
    await user.send_text("Сәлем")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "kk"
