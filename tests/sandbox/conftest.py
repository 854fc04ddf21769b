"""Fixtures: a sandbox on a random loopback port, an aiogram Bot pointed at it, a control client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from sandbox import SandboxClient, SandboxServer

TOKEN = "123456789:sandbox-test-token"


class QuickCloseSession(AiohttpSession):
    """aiogram's own session, minus the 250 ms TLS grace sleep in close() (loopback has no TLS)."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(base_url: str, token: str = TOKEN, *, stock: bool = False) -> Bot:
    """Return an aiogram Bot that talks to the sandbox at base_url."""
    api = TelegramAPIServer.from_base(base_url)
    session = AiohttpSession(api=api) if stock else QuickCloseSession(api=api)
    return Bot(token, session=session)


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as running:
        yield running


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    instance = make_bot(server.base_url)
    yield instance
    await instance.session.close()


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.base_url) as control:
        yield control


def echo_dispatcher() -> Dispatcher:
    """Return a Dispatcher with one handler that echoes text."""
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Echo: {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


@pytest.fixture
async def echo_bot(server: SandboxServer) -> AsyncIterator[Dispatcher]:
    """Run an unmodified aiogram echo bot with start_polling against the sandbox."""
    dispatcher = echo_dispatcher()
    instance = make_bot(server.base_url, stock=True)
    task = asyncio.create_task(dispatcher.start_polling(instance, handle_signals=False))
    yield dispatcher
    await dispatcher.stop_polling()
    await asyncio.wait_for(task, 5)
