"""The fan-out on a task engine: planning and batches as taskiq tasks, plus a periodic tick.

The embedded default is taskiq's in-process broker: everything runs in the one process. With
Redis (KOMEK_REDIS_URL) tasks go through a Redis stream read by any number of worker
processes on any number of machines; a task is acknowledged only once it has run, so the
batch of a worker that dies is handed to another after KOMEK_ALERT_TASK_IDLE_SECONDS. The
ledger, not the queue, decides what is sent: a batch handed out twice sends nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker, InMemoryBroker
from taskiq_redis import RedisStreamBroker

from alerts.fanout import ledger
from alerts.fanout.escalation import escalate_due
from alerts.fanout.planner import Planner
from alerts.fanout.sender import BatchSender
from core.clock import Clock

log = logging.getLogger(__name__)

QUEUE = "komek:alerts"
EMBEDDED_TASKS = 4
"""Tasks run at once by the in-process broker. A few batches, each with its chunk of messages
in flight, keep the send rate up; more would only queue for the database (SQLite has one
writer) and delay the first messages."""


def make_broker(redis_url: str | None, *, idle_seconds: float = 60.0) -> AsyncBroker:
    """The in-process broker, or a Redis stream shared by every worker."""
    if not redis_url:
        return InMemoryBroker(max_async_tasks=EMBEDDED_TASKS)
    return RedisStreamBroker(
        redis_url,
        queue_name=QUEUE,
        consumer_group_name="komek-workers",
        idle_timeout=int(idle_seconds * 1000),
        xread_block=1000,
        unacknowledged_lock_timeout=max(1.0, idle_seconds / 2),
    )


class Fanout:
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

        # taskiq registers plain functions (it renames them), so the methods are wrapped.
        async def plan(alert_id: int) -> int:
            return await self._plan(alert_id)

        async def send_batch(alert_id: int, batch: int) -> bool:
            return await self._send_batch(alert_id, batch)

        self._plan_task = broker.register_task(plan, task_name="komek.alerts.plan")
        self._batch_task = broker.register_task(send_batch, task_name="komek.alerts.send_batch")

    async def start(self, alert_id: int) -> None:
        """Hand an approved alert to the workers: they plan it and send it, batch by batch."""
        await self._plan_task.kiq(alert_id)

    async def dispatch(self, alert_id: int, batch: int) -> None:
        await self._batch_task.kiq(alert_id, batch)

    async def _plan(self, alert_id: int) -> int:
        return await self._planner.plan(alert_id, self.dispatch)

    async def _send_batch(self, alert_id: int, batch: int) -> bool:
        if self._sender is None:
            raise RuntimeError("this process sends no alerts; run a worker")
        return await self._sender.run(alert_id, batch)

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
            await asyncio.sleep(every)

    async def wait_idle(self) -> None:
        """With the in-process broker: wait until every task handed out so far has finished."""
        if isinstance(self.broker, InMemoryBroker):
            while self.broker._running_tasks:
                await self.broker.wait_all()
