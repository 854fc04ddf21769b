"""How the fan-out keeps messages moving, seen in the ledger while Telegram is slow to answer.

The sandbox Bot API answers after a long round trip, so every message sent is still "on the
wire" while the test looks: a batch claims its next chunks as soon as the ones before have had
their turn, without waiting for Telegram's answers; and the in-process broker sends only a few
batches at once, however many the planner hands out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.fanout.engine import EMBEDDED_BATCHES
from alerts.fanout.planner import FIRST_BATCH
from alerts.fanout.sender import CHUNK
from alerts.models import Delivery
from core.database import SessionFactory
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert, telegram_alert_system
from tests.waiting import until

TOKEN = "123456:fanout-flow"
ROUND_TRIP_MS = 1500
"""Long enough that no answer comes back while the test reads the ledger."""


@pytest.fixture
async def slow_telegram() -> AsyncIterator[SandboxClient]:
    async with SandboxServer("127.0.0.1", 0) as server, SandboxClient(server.base_url) as client:
        await client.set_network(latency_ms=ROUND_TRIP_MS)
        yield client


async def _people(sessions: SessionFactory, sandbox: SandboxClient, count: int) -> None:
    chats = await sandbox.add_users(count)
    await add_registrants(sessions, [{"telegram_chat_id": chat} for chat in chats])


async def _sending(sessions: SessionFactory) -> dict[int, int]:
    """Rows claimed and not yet answered, by batch."""
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.batch, func.count())
            .where(Delivery.state == "sending")
            .group_by(Delivery.batch)
        )
        return dict(rows.all())


async def _states(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(select(Delivery.state, func.count()).group_by(Delivery.state))
        return dict(rows.all())


async def _broadcast(
    settings: Settings,
    sessions: SessionFactory,
    sandbox: SandboxClient,
    *,
    batch_size: int,
    check: Callable[[], Awaitable[None]],
) -> None:
    """Send one alert to everyone; `check` runs while the first messages are on the wire."""
    settings = settings.model_copy(
        update={"telegram_alert_rate": 0.0, "alert_batch_size": batch_size}
    )
    async with telegram_alert_system(
        settings, sessions, sandbox.base_url, token=TOKEN, in_flight=1000
    ) as system:
        stored = await system.service.receive(to_xml(alert("flow-1")), actor="dispatcher")
        await system.service.approve(stored.id, actor="approver")
        await check()
        await system.fanout.wait_idle()


@pytest.mark.realtime  # 1.5 s of simulated round trip must outlast the claim: not on a busy machine
async def test_next_chunk_is_claimed_while_the_last_is_on_the_wire(
    settings: Settings, sessions: SessionFactory, slow_telegram: SandboxClient
) -> None:
    second_batch = 3 * CHUNK
    await _people(sessions, slow_telegram, FIRST_BATCH + second_batch)

    async def whole_batch_claimed_before_any_answer() -> None:
        async def claimed() -> bool:
            return (await _sending(sessions)).get(1) == second_batch

        await until(claimed)
        assert "sent" not in await _states(sessions)  # nothing has been answered yet

    await _broadcast(
        settings,
        sessions,
        slow_telegram,
        batch_size=500,
        check=whole_batch_claimed_before_any_answer,
    )
    assert await _states(sessions) == {"sent": FIRST_BATCH + second_batch}


@pytest.mark.realtime
async def test_in_process_broker_sends_a_few_batches_at_once(
    settings: Settings, sessions: SessionFactory, slow_telegram: SandboxClient
) -> None:
    batches = 3 * EMBEDDED_BATCHES
    await _people(sessions, slow_telegram, batches * FIRST_BATCH)

    async def only_a_few_batches() -> None:
        async def busy() -> bool:
            return sum((await _sending(sessions)).values()) == EMBEDDED_BATCHES * FIRST_BATCH

        await until(busy)
        await asyncio.sleep(0.3)  # room for any other batch to start claiming, if it could
        sending = await _sending(sessions)
        assert len(sending) == EMBEDDED_BATCHES
        assert await _states(sessions) == {
            "sending": EMBEDDED_BATCHES * FIRST_BATCH,
            "queued": (batches - EMBEDDED_BATCHES) * FIRST_BATCH,
        }

    await _broadcast(
        settings, sessions, slow_telegram, batch_size=FIRST_BATCH, check=only_a_few_batches
    )
    assert await _states(sessions) == {"sent": batches * FIRST_BATCH}
