"""Fixtures of the console tests: the console on 127.0.0.1 beside the sandbox, and Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser

from bookings.service import BookingService
from bot.telegram.app import build_bot
from cli.alerts_runtime import alert_system
from console.assembly import console_context
from console.server import console_server
from core.clock import SystemClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.console.harness import ConsoleHarness
from tests.servers.chromium import chromium
from voice.service import Voice

TOKEN = "123456:console-test"


@pytest.fixture
async def console(
    settings: Settings, sessions: SessionFactory, voice: Voice
) -> AsyncIterator[ConsoleHarness]:
    """The console with a real alert system sending through the sandbox (SMS phones too)."""
    settings = settings.model_copy(update={"telegram_alert_rate": 1000.0})
    clock = SystemClock()
    catalogs = Catalogs.load()
    async with SandboxServer("127.0.0.1", 0) as sandbox, SandboxClient(sandbox.base_url) as client:
        bot = build_bot(TOKEN, sandbox.base_url)
        try:
            async with alert_system(
                settings,
                sessions,
                clock,
                bot=bot,
                catalogs=catalogs,
                voice=voice,
                sandbox_url=sandbox.base_url,
            ) as system:
                bookings = BookingService(sessions, clock)
                await bookings.seed_providers()
                ctx = console_context(
                    settings,
                    sessions,
                    clock,
                    alerts=system.service,
                    bookings=bookings,
                    catalogs=catalogs,
                    voice=voice,
                )
                async with console_server(ctx, "127.0.0.1", 0) as url:
                    harness = ConsoleHarness(url, ctx, system, client, sandbox.base_url)
                    try:
                        yield harness
                    finally:
                        await harness.close()
        finally:
            await bot.session.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as running:
        yield running
