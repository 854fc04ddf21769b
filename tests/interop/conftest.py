"""Fixtures of the interoperability tests: node-smpp's SMS centre on 127.0.0.1, or each SMS
centre in turn (node-smpp's and smpp34's) for the scenarios both must pass."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.alerts.recording import RecordingEvents
from tests.interop.node_peers import NodeSmsc
from tests.interop.smsc_peers import NodeSmscPeer, OwnSmscPeer, SmscPeer
from tests.servers.smsc import Smsc


@pytest.fixture
async def node_smsc() -> AsyncIterator[NodeSmsc]:
    async with NodeSmsc() as running:
        yield running


@pytest.fixture
def events() -> RecordingEvents:
    return RecordingEvents()


@pytest.fixture(params=["node-smpp", "smpp34"])
async def any_smsc(request: pytest.FixtureRequest) -> AsyncIterator[SmscPeer]:
    """Each SMS centre in turn: node-smpp's, then the project's own (smpp34's)."""
    if request.param == "node-smpp":
        async with NodeSmsc() as node:
            yield NodeSmscPeer(node)
    else:
        async with Smsc() as own:
            yield OwnSmscPeer(own)
            assert own.errors == []
