"""Fixtures of the alert tests: smpp34's SMSC on 127.0.0.1 and a recorder of its reports;
the sandbox Bot API and sending processes built on it (`stage_of`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.telegram.app import build_bot
from cli.alerts_runtime import AlertSystem
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import smpp_alert_system
from tests.alerts.recording import RecordingEvents
from tests.alerts.stages import TOKEN, Stages
from tests.servers.smsc import Smsc


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc() as running:
        yield running
        assert running.errors == []


@pytest.fixture
async def system(
    settings: Settings, sessions: SessionFactory, smsc: Smsc
) -> AsyncIterator[AlertSystem]:
    """The fan-out sending SMS over SMPP to `smsc` (a test module may bring its own `smsc`)."""
    async with smpp_alert_system(settings, sessions, smsc) as built:
        yield built


@pytest.fixture
def events() -> RecordingEvents:
    return RecordingEvents()


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxClient]:
    async with SandboxServer("127.0.0.1", 0) as server, SandboxClient(server.base_url) as client:
        yield client


@pytest.fixture
async def stage_of(
    sessions: SessionFactory, clock: ManualClock, sandbox: SandboxClient
) -> AsyncIterator[Stages]:
    """Builds a sender named `worker` on the in-process broker, as many as a test needs."""
    bot = build_bot(TOKEN, sandbox.base_url)
    try:
        yield Stages(sessions, clock, bot, Catalogs.load())
    finally:
        await bot.session.close()
