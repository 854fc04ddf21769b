"""Fixtures of the SMS tests: smpp34's SMSC on 127.0.0.1 and a recorder of its reports."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.alerts.recording import RecordingEvents
from tests.servers.smsc import Smsc


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc() as running:
        yield running
        assert running.errors == []


@pytest.fixture
def events() -> RecordingEvents:
    return RecordingEvents()
