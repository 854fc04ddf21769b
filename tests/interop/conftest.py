"""Fixtures of the interoperability tests: node-smpp's SMS centre on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.alerts.recording import RecordingEvents
from tests.interop.node_peers import NodeSmsc


@pytest.fixture
async def node_smsc() -> AsyncIterator[NodeSmsc]:
    async with NodeSmsc() as running:
        yield running


@pytest.fixture
def events() -> RecordingEvents:
    return RecordingEvents()
