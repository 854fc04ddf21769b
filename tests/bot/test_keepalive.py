"""Prepared sends over kept-alive connections (bot/telegram/keepalive.py), against a real
aiohttp server on 127.0.0.1: answers matched to their requests, connections kept and reused,
chunked answers, a server that closes, and no answer at all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiogram.methods import SendMessage
from aiohttp import web

from bot.telegram.app import build_bot
from bot.telegram.keepalive import AnswerError, KeepAlivePool
from bot.telegram.session import JsonSession, prepare
from tests.servers.ports import free_port


class Server:
    def __init__(self) -> None:
        self.peers: set[object] = set()
        self.requests = 0
        self.port = free_port()
        self.hold = asyncio.Event()

    async def echo(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        self.peers.add(request.transport.get_extra_info("peername") if request.transport else None)
        body = await request.json()
        answer = {"ok": True, "result": {"message_id": body["chat_id"] * 10}}
        if request.query.get("how") == "chunked":
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            response.content_type = "application/json"
            await response.prepare(request)
            text = json.dumps(answer).encode()
            for start in range(0, len(text), 7):  # many small chunks
                await response.write(text[start : start + 7])
            await response.write_eof()
            return response
        if request.query.get("how") == "close":
            return web.json_response(answer, headers={"Connection": "close"})
        if request.query.get("how") == "none":
            assert request.transport is not None
            request.transport.close()  # gone without a word
            await self.hold.wait()
        if request.query.get("how") == "refuse":
            return web.json_response({"ok": False, "error_code": 403}, status=403)
        return web.json_response(answer)


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    running = Server()
    app = web.Application()
    app.router.add_post("/bot1:t/sendMessage", running.echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", running.port)
    await site.start()
    try:
        yield running
    finally:
        running.hold.set()
        await runner.cleanup()


def body(chat_id: int) -> bytes:
    return json.dumps({"chat_id": chat_id, "text": "Leave the building now."}).encode()


async def test_answers_go_to_their_requests_over_a_few_kept_connections(server: Server) -> None:
    pool = KeepAlivePool(f"http://127.0.0.1:{server.port}", size=5, answer_seconds=10)
    try:
        answers = await asyncio.gather(
            *(pool.post("/bot1:t/sendMessage", body(chat)) for chat in range(1, 201))
        )
    finally:
        pool.close()
    assert [status for status, _ in answers] == [200] * 200
    ids = [json.loads(content)["result"]["message_id"] for _, content in answers]
    assert ids == [chat * 10 for chat in range(1, 201)]
    assert server.requests == 200
    assert len(server.peers) <= 5, "at most `size` connections, each used again"


async def test_a_chunked_answer_is_read_whole_and_its_connection_used_again(
    server: Server,
) -> None:
    pool = KeepAlivePool(f"http://127.0.0.1:{server.port}", size=1, answer_seconds=10)
    try:
        status, content = await pool.post("/bot1:t/sendMessage?how=chunked", body(4))
        assert (status, json.loads(content)["result"]["message_id"]) == (200, 40)
        status, content = await pool.post("/bot1:t/sendMessage", body(5))
        assert json.loads(content)["result"]["message_id"] == 50
    finally:
        pool.close()
    assert len(server.peers) == 1


async def test_an_answer_that_closes_the_connection_and_an_error_answer(server: Server) -> None:
    pool = KeepAlivePool(f"http://127.0.0.1:{server.port}", size=1, answer_seconds=10)
    try:
        status, _ = await pool.post("/bot1:t/sendMessage?how=close", body(1))
        assert status == 200
        status, content = await pool.post("/bot1:t/sendMessage?how=refuse", body(2))
        assert (status, json.loads(content)["error_code"]) == (403, 403)  # the caller reads it
        status, _ = await pool.post("/bot1:t/sendMessage", body(3))
        assert status == 200
    finally:
        pool.close()
    assert len(server.peers) == 2, "a new connection after the server closed the first"


async def test_a_server_that_hangs_up_without_answering_is_an_error(server: Server) -> None:
    pool = KeepAlivePool(f"http://127.0.0.1:{server.port}", size=1, answer_seconds=10)
    try:
        with pytest.raises(AnswerError):
            await pool.post("/bot1:t/sendMessage?how=none", body(1))
        status, _ = await pool.post("/bot1:t/sendMessage", body(2))  # and the next one works
        assert status == 200
    finally:
        pool.close()


@pytest.mark.parametrize(
    "answer",
    [
        b'{"ok":true,"result":{"message_id":420,"date":1,"chat":{"id":42,"type":"private"}}}',
        b'{"ok": true, "result": {"message_id": 420, "date": 1}}',
        b'{"ok":true,"result":{"date":1,"chat":{"id":42,"type":"private"},"message_id":420}}',
    ],
    ids=["telegram", "spaced", "id-last"],
)
async def test_a_prepared_send_reads_the_message_id_however_the_answer_is_written(
    answer: bytes,
) -> None:
    async def send_message(request: web.Request) -> web.Response:
        assert (await request.json())["chat_id"] == 42
        return web.Response(body=answer, content_type="application/json")

    app = web.Application()
    app.router.add_post("/bot123:t/sendMessage", send_message)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    bot = build_bot("123:t", f"http://127.0.0.1:{port}")
    try:
        call = prepare(bot, SendMessage(chat_id=0, text="Leave the building now."))
        assert call is not None and isinstance(bot.session, JsonSession)
        result = await bot.session.send_prepared(bot, call, 42)
    finally:
        await bot.session.close()
        await runner.cleanup()
    assert result["message_id"] == 420
