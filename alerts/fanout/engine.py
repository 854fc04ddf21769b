"""The fan-out on a task engine: planning and batches as taskiq tasks, plus a periodic tick.

The embedded default is taskiq's in-process broker: everything runs in the one process. With
Redis (KOMEK_REDIS_URL) tasks go through a Redis stream read by any number of worker
processes on any number of machines; a task is acknowledged only once it has run, so the
batch of a worker that dies is handed to another after KOMEK_ALERT_TASK_IDLE_SECONDS; a
worker that is stopped hands back at once what it has not sent (`wind_down`, `hand_back`).
The ledger, not the queue, decides what is sent: a batch handed out twice sends nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from redis.typing import StreamIdT
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker, InMemoryBroker
from taskiq_redis import RedisStreamBroker

from alerts.fanout import ledger
from alerts.fanout.escalation import escalate_due
from alerts.fanout.planner import Planner
from alerts.fanout.redis_stream import ReclaimingStreamBroker
from alerts.fanout.sender import BatchSender
from core.clock import Clock

log = logging.getLogger(__name__)

QUEUE = "komek:alerts"
GROUP = "komek-workers"
EMBEDDED_BATCHES = 4
"""Batches sent at once with the in-process broker. A few, each with its chunks of messages
in flight, keep the send rate up; more would only hold more rows and queue for the database
(SQLite has one writer). taskiq's in-process broker runs every task it is given at once, so
the fan-out keeps to this itself; a worker on Redis is limited by its receiver."""


def make_broker(redis_url: str | None, *, idle_seconds: float = 60.0) -> AsyncBroker:
    """The in-process broker, or a Redis stream shared by every worker."""
    if not redis_url:
        return InMemoryBroker()
    return ReclaimingStreamBroker(
        redis_url,
        queue_name=QUEUE,
        consumer_group_name=GROUP,
        idle_timeout=int(idle_seconds * 1000),
        xread_block=1000,
        # One task per read, taken only when a slot is free: a read of many would hold tasks
        # other workers could be running, and a worker that stops would sit on them.
        xread_count=1,
        unacknowledged_lock_timeout=max(1.0, idle_seconds / 2),
    )


async def _pending(redis: Redis, consumer: str) -> list[StreamIdT]:
    """Ids of the stream entries `consumer` has read and not acknowledged."""
    entries = await redis.xpending_range(
        QUEUE, GROUP, min="-", max="+", count=1000, consumername=consumer
    )
    return [entry["message_id"] for entry in entries]


class _PlanHandedBack(Exception):
    """Planning stopped between two batches: the worker is handing its work back."""


class Fanout:
    """Plans and sends alerts through the task engine (see the module): `start` plans an approved
    alert, `dispatch` hands a ledger batch to a worker, the ticks escalate and sweep."""

    def __init__(
        self,
        broker: AsyncBroker,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        planner: Planner,
        sender: BatchSender | None,
        *,
        escalation_steps: Sequence[timedelta],
        stale_after: timedelta = timedelta(seconds=60),
    ) -> None:
        self.broker = broker
        self._sessions = sessions
        self._clock = clock
        self._planner = planner
        self._sender = sender
        self._steps = tuple(escalation_steps)
        self._stale_after = stale_after
        self._handing_back = False
        self._running: dict[asyncio.Task[Any], Callable[[], Awaitable[None]]] = {}
        """Tasks this process runs, each with how to hand it out again."""
        self._batch_slots = (  # with the in-process broker, EMBEDDED_BATCHES at once
            asyncio.Semaphore(EMBEDDED_BATCHES) if isinstance(broker, InMemoryBroker) else None
        )

        # taskiq registers plain functions (it renames them), so the methods are wrapped.
        async def plan(alert_id: int) -> int:
            with self._running_task(lambda: self.start(alert_id)):
                return await self._plan(alert_id)

        async def send_batch(alert_id: int, batch: int) -> bool:
            async with self._batch_slots or nullcontext():
                with self._running_task(lambda: self.dispatch(alert_id, batch)):
                    return await self._send_batch(alert_id, batch)

        self._plan_task = broker.register_task(plan, task_name="komek.alerts.plan")
        self._batch_task = broker.register_task(send_batch, task_name="komek.alerts.send_batch")

    async def start(self, alert_id: int) -> None:
        """Hand an approved alert to the workers: they plan it and send it, batch by batch."""
        await self._plan_task.kiq(alert_id)

    async def dispatch(self, alert_id: int, batch: int) -> None:
        """Queue one batch of an alert for a worker to send."""
        await self._batch_task.kiq(alert_id, batch)

    async def _plan(self, alert_id: int) -> int:
        async def dispatch(alert_id: int, batch: int) -> None:
            await self.dispatch(alert_id, batch)
            if self._handing_back and not isinstance(self.broker, InMemoryBroker):
                raise _PlanHandedBack  # between two committed batches

        try:
            return await self._planner.plan(alert_id, dispatch)
        except _PlanHandedBack:
            # Another worker plans on: planning again writes nothing twice.
            await self.start(alert_id)
            return 0

    async def _send_batch(self, alert_id: int, batch: int) -> bool:
        if self._sender is None:
            raise RuntimeError("this process sends no alerts; run a worker")
        done = await self._sender.run(alert_id, batch)
        if not done and self._sender.stopping and not isinstance(self.broker, InMemoryBroker):
            # This worker is stopping: the rest of the batch goes to another one now,
            # rather than when the sweep finds it.
            await self.dispatch(alert_id, batch)
        return done

    @property
    def clock(self) -> Clock:
        """The clock its loops (sweep, ticks, the worker's retries) wait on."""
        return self._clock

    def wind_down(self) -> None:
        """This worker is stopping: finish the work in hand, but wait for no postponed row."""
        if self._sender is not None:
            self._sender.wind_down()

    def hand_back(self) -> None:
        """The grace period is over: give back what is not yet sent or planned.

        Batches give back their unsent rows (`BatchSender.hand_back`) and go back on the
        stream; planning stops after the batch being written and goes back on the stream too.
        """
        self._handing_back = True
        if self._sender is not None:
            self._sender.hand_back()

    async def cancel_running(self) -> int:
        """Cancel the tasks still running (a send that hangs) and hand each out again.

        Their rows stay with this worker's lapsing lease, so the one taking the task over
        sends them once the lease has run out, in doubt, as after a crash.
        """
        running, self._running = self._running, {}
        for task in running:
            task.cancel()
        for again in running.values():
            await again()
        return len(running)

    @contextmanager
    def _running_task(self, again: Callable[[], Awaitable[None]]) -> Iterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._running[task] = again
        try:
            yield
        finally:
            if task is not None:
                self._running.pop(task, None)

    async def return_unstarted(self) -> int:
        """Put back on the stream the tasks this worker read but did not finish (Redis only).

        A stopping worker calls this last: a task read at the moment it stopped listening, or
        one cancelled because it ran past the grace period, goes to another worker at once
        instead of after KOMEK_ALERT_TASK_IDLE_SECONDS. Returns how many went back.
        """
        broker = self.broker
        if not isinstance(broker, RedisStreamBroker):
            return 0
        returned = 0
        async with Redis(connection_pool=broker.connection_pool) as redis:
            for message_id in await _pending(redis, broker.consumer_name):
                for _id, fields in await redis.xrange(QUEUE, message_id, message_id) or []:
                    if fields and b"data" in fields:  # taskiq's message, as it was sent
                        await redis.xadd(QUEUE, {b"data": fields[b"data"]})
                        returned += 1
                await redis.xack(QUEUE, GROUP, message_id)
        return returned

    async def keep_tasks(self) -> None:
        """Keep the tasks this worker runs its own, until cancelled (Redis only).

        The stream hands a task nobody acknowledged for KOMEK_ALERT_TASK_IDLE_SECONDS to
        another worker, which is right when its worker died and wasted when it is still at
        work (planning a large alert takes a while): claiming them again every third of that
        time says "still at it".
        """
        broker = self.broker
        if not isinstance(broker, RedisStreamBroker):
            return
        while True:
            await self._clock.sleep(self._stale_after.total_seconds() / 3)
            try:
                async with Redis(connection_pool=broker.connection_pool) as redis:
                    mine = await _pending(redis, broker.consumer_name)
                    if mine:
                        await redis.xclaim(QUEUE, GROUP, broker.consumer_name, 0, mine, justid=True)
            except Exception as error:  # Redis out of reach: the next round tries again
                log.warning("keeping tasks failed: %s", type(error).__name__)

    async def tick(self) -> int:
        """Escalate unanswered alerts and hand out batches nobody is working on."""
        now = self._clock.now()
        batch = -int(now.timestamp())
        async with self._sessions() as session, session.begin():
            escalated = await escalate_due(session, now=now, steps=self._steps, batch=batch)
        async with self._sessions() as session:
            stale = await ledger.pending_batches(session, now=now, stale=self._stale_after)
        todo = sorted(set(escalated) | set(stale))
        for alert_id, number in todo:
            await self.dispatch(alert_id, number)
        return len(todo)

    async def run_ticks(self, every: float) -> None:
        """Tick forever (until cancelled); a failed tick is logged and the next one runs."""
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("alert tick failed")
            await self._clock.sleep(every)

    async def wait_idle(self) -> None:
        """With the in-process broker: wait until every task handed out so far has finished."""
        if isinstance(self.broker, InMemoryBroker):
            while self.broker._running_tasks:
                await self.broker.wait_all()
