"""A worker told to stop gives back what it has not sent, so another sends it at once.

In one process (SQLite, the sandbox Bot API): a sender handing back mid-chunk returns every
row not yet handed to Telegram to the queue, with no attempt counted, while messages already
on the wire are finished. As separate processes (PostgreSQL and Redis from Debian's packages,
two `komek worker`s): SIGTERM mid-broadcast, the stopped worker exits within its grace period
holding nothing, the other sends the rest long before any lease could lapse, and nobody gets
the alert twice.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from taskiq import AsyncBroker
from taskiq_redis import RedisStreamBroker

from alerts.cap.export import to_xml
from alerts.fanout.engine import GROUP, QUEUE, Fanout, make_broker
from alerts.fanout.outgoing import TELEGRAM_LANE
from alerts.fanout.planner import FIRST_BATCH, Planner
from alerts.fanout.sender import CHUNK
from alerts.fanout.worker import FINISH_SECONDS
from alerts.models import Delivery
from core.clock import ManualClock
from core.database import SessionFactory
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert
from tests.alerts.stages import Stages
from tests.conftest import need
from tests.servers.komek_cluster import current_alert, running_cluster, services_missing
from tests.servers.redis import redis_bin, running_redis
from tests.waiting import until

PEOPLE = FIRST_BATCH + CHUNK
"""Two batches of one chunk each: every row is claimed at once."""
PLAN_TASK = "komek.alerts.plan"
BATCH_TASK = "komek.alerts.send_batch"


async def _rows(sessions: SessionFactory) -> list[Delivery]:
    async with sessions() as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def _people(sessions: SessionFactory, sandbox: SandboxClient) -> range:
    chats = await sandbox.add_users(PEOPLE)
    await add_registrants(sessions, [{"telegram_chat_id": chat} for chat in chats])
    return chats


async def test_rows_waiting_for_their_turn_go_back_unsent_and_uncounted(
    sessions: SessionFactory, sandbox: SandboxClient, stage_of: Stages
) -> None:
    chats = await _people(sessions, sandbox)
    stopping = stage_of("worker-a")
    await stopping.limiter.pause(TELEGRAM_LANE, 3600)  # Telegram said: wait (an hour)
    stored = await stopping.service.receive(to_xml(alert("graceful-1")), actor="test")
    await stopping.service.approve(stored.id, actor="test")

    async def all_claimed() -> bool:
        return [row.state for row in await _rows(sessions)] == ["sending"] * PEOPLE

    await until(all_claimed)
    stopping.fanout.hand_back()
    await asyncio.wait_for(stopping.fanout.wait_idle(), 5)

    rows = await _rows(sessions)
    assert len(rows) == PEOPLE
    assert {(row.state, row.attempts, row.worker, row.lease_until) for row in rows} == {
        ("queued", 0, None, None)
    }
    assert not any(row.in_doubt for row in rows)
    assert stopping.sender.released == PEOPLE
    assert await sandbox.message_counts() == {}

    taking_over = stage_of("worker-b")
    for batch in sorted({row.batch for row in rows}):
        assert await taking_over.sender.run(stored.id, batch)
    rows = await _rows(sessions)
    assert {(row.state, row.attempts, row.worker) for row in rows} == {("sent", 1, "worker-b")}
    assert await sandbox.message_counts() == dict.fromkeys(chats, 1)


async def test_messages_on_the_wire_are_finished_the_rest_go_back(
    sessions: SessionFactory, sandbox: SandboxClient, stage_of: Stages
) -> None:
    chats = await _people(sessions, sandbox)
    await sandbox.set_network(latency_ms=400)  # every answer takes a while: sends are on the wire
    stopping = stage_of("worker-a", in_flight=10)
    stored = await stopping.service.receive(to_xml(alert("graceful-2")), actor="test")
    await stopping.service.approve(stored.id, actor="test")

    async def on_the_wire() -> bool:
        return int((await sandbox.request("GET", "network"))["admitted"]) > 0

    await until(on_the_wire)
    stopping.fanout.hand_back()
    await asyncio.wait_for(stopping.fanout.wait_idle(), 5)

    rows = await _rows(sessions)
    sent = [row for row in rows if row.state == "sent"]
    back = [row for row in rows if row.state == "queued"]
    assert sent, "nothing was on the wire"
    assert back, "nothing was given back"
    assert len(sent) + len(back) == PEOPLE  # nothing left "sending", nothing in doubt
    assert {(row.attempts, row.worker) for row in back} == {(0, None)}
    assert stopping.sender.released == len(back)
    counts = await sandbox.message_counts()
    assert sum(counts.values()) == len(sent) == len(counts)  # what was sent arrived, once

    await sandbox.set_network(latency_ms=0)
    taking_over = stage_of("worker-b")
    for batch in sorted({row.batch for row in rows}):
        assert await taking_over.sender.run(stored.id, batch)
    assert await sandbox.message_counts() == dict.fromkeys(chats, 1)


# With Redis: what a stopping worker puts back on the stream.


@pytest.fixture
async def broker() -> AsyncIterator[AsyncBroker]:
    need(redis_bin() is not None, "redis-server from Debian packages is not installed")
    with running_redis() as url:
        stream = make_broker(url)
        await stream.startup()
        yield stream
        await stream.shutdown()


async def _stream(broker: AsyncBroker) -> list[tuple[str, list[Any]]]:
    """Every task on the stream, oldest first: its name and arguments."""
    assert isinstance(broker, RedisStreamBroker)
    async with Redis(connection_pool=broker.connection_pool) as redis:
        entries = await redis.xrange(QUEUE)
    messages = [broker.formatter.loads(fields[b"data"]) for _id, fields in entries]
    return [(message.task_name, message.args) for message in messages]


async def test_planning_stops_between_batches_and_goes_back_on_the_stream(
    sessions: SessionFactory,
    sandbox: SandboxClient,
    stage_of: Stages,
    broker: AsyncBroker,
) -> None:
    await _people(sessions, sandbox)
    stopping = stage_of("worker-a", broker=broker)
    stored = await stopping.service.receive(to_xml(alert("graceful-3")), actor="test")
    stopping.fanout.hand_back()
    plan = broker.find_task(PLAN_TASK)
    assert plan is not None
    assert await plan.original_func(stored.id) == 0

    rows = await _rows(sessions)
    assert [row.batch for row in rows] == [0] * FIRST_BATCH  # the batch being written, no more
    assert await _stream(broker) == [(BATCH_TASK, [stored.id, 0]), (PLAN_TASK, [stored.id])]

    taking_over = stage_of("worker-b", broker=broker)
    assert await taking_over.fanout.broker.find_task(PLAN_TASK).original_func(stored.id) == PEOPLE
    assert sorted(row.batch for row in await _rows(sessions)) == [0] * FIRST_BATCH + [1] * CHUNK


async def test_a_task_read_but_not_run_goes_back_on_the_stream(
    stage_of: Stages, broker: AsyncBroker
) -> None:
    stage = stage_of("worker-a", broker=broker)
    await stage.fanout.dispatch(7, 3)
    reading = broker.listen()
    await anext(reading)  # read at the moment the worker stopped: never run, never acknowledged
    await reading.aclose()

    assert await stage.fanout.return_unstarted() == 1
    assert await _stream(broker) == [(BATCH_TASK, [7, 3])] * 2
    assert await stage.fanout.return_unstarted() == 0  # acknowledged: nothing is pending


@pytest.mark.realtime
async def test_a_worker_keeps_the_tasks_it_runs_and_a_dead_one_loses_them(
    sessions: SessionFactory, clock: ManualClock, broker: AsyncBroker
) -> None:
    idle = 0.3
    planner = Planner(sessions, clock, batch_size=500, first_escalation=None)
    fanout = Fanout(
        broker,
        sessions,
        clock,
        planner,
        None,
        escalation_steps=(),
        stale_after=timedelta(seconds=idle),
    )
    await fanout.dispatch(7, 3)
    reading = broker.listen()
    await anext(reading)  # running it, for longer than the stream's idle time
    await reading.aclose()
    assert isinstance(broker, RedisStreamBroker)

    async def taken_over() -> list[Any]:
        async with Redis(connection_pool=broker.connection_pool) as redis:
            claimed = await redis.xautoclaim(QUEUE, GROUP, "another-worker", int(idle * 1000))
        return list(claimed[1])

    async def keeping_asleep() -> bool:
        return clock.sleepers == 1

    keeping = asyncio.create_task(fanout.keep_tasks())
    await until(keeping_asleep)
    for _ in range(9):  # Redis's idle time runs on the real clock, the claims on the worker's
        await asyncio.sleep(idle / 3)
        await clock.advance(idle / 3)
        await until(keeping_asleep)  # claimed again, and waiting for the next third
    assert await taken_over() == []  # still its own
    keeping.cancel()  # the worker dies
    await asyncio.sleep(idle * 1.5)
    assert len(await taken_over()) == 1


# Separate processes: PostgreSQL, Redis, two workers.

WORKERS_PEOPLE = 3000
GRACE_SECONDS = 1.0
IDLE_SECONDS = 120.0
"""Leases of 60 s and a sweep after 120 s: the rest can only be sent in time if given back."""
EXIT_SECONDS = 10.0
"""After its work: closing connections, and Python's own exit, on a busy machine."""


@pytest.mark.realtime
@pytest.mark.postgres
async def test_a_worker_stopped_with_sigterm_hands_its_rows_to_another(tmp_path: Path) -> None:
    missing = services_missing()
    need(missing is None, missing or "")
    env = {
        "KOMEK_TELEGRAM_ALERT_RATE": "250",  # ~12 s for everyone: the stop comes mid-broadcast
        "KOMEK_ALERT_TASK_IDLE_SECONDS": str(IDLE_SECONDS),
        "KOMEK_ALERT_BATCH_SIZE": "250",
        "KOMEK_WORKER_GRACE_SECONDS": str(GRACE_SECONDS),
    }
    async with running_cluster(tmp_path, env=env, console=False, scheduler=False) as cluster:
        stopped, staying = cluster.start_worker(), cluster.start_worker()
        people = await cluster.register(WORKERS_PEOPLE)
        await cluster.ready()
        async with cluster.alert_service() as service:
            stored = await service.receive(to_xml(current_alert("sigterm-1")), actor="test")
            await service.approve(stored.id, actor="test")
        await cluster.wait_sent(stored.id, WORKERS_PEOPLE // 5, seconds=60)

        took = await stopped.stop(signal.SIGTERM)
        stopped_at = time.monotonic()
        assert took < GRACE_SECONDS + FINISH_SECONDS + EXIT_SECONDS, took
        assert stopped.popen.returncode == 0
        async with cluster.sessions() as session:
            still_held = await session.scalar(
                select(func.count()).where(
                    Delivery.worker == stopped.worker, Delivery.state == "sending"
                )
            )
        assert still_held == 0
        given_back = re.findall(r"released=(\d+)", stopped.output())
        assert given_back and int(given_back[-1]) > 0, stopped.output()[-2000:]

        await cluster.wait_sent(stored.id, WORKERS_PEOPLE, seconds=IDLE_SECONDS / 4)
        assert time.monotonic() - stopped_at < IDLE_SECONDS / 2  # no lease lapsed meanwhile
        assert staying.running()

        rows = await _rows(cluster.sessions)
        assert len(rows) == WORKERS_PEOPLE
        assert not any(row.in_doubt for row in rows)
        assert {row.attempts for row in rows} == {1}  # handing back cost no one an attempt
        assert await cluster.sandbox.message_counts() == dict.fromkeys(people.chats, 1)
