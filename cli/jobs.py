"""The periodic work, as one list of jobs: `komek scheduler` runs it for a deployment, and a
process without Redis (`komek run`, `komek console`) runs the same list itself.

Each job runs on its own clock:

- `alerts` (every 5 s): escalation of severe alerts nobody answered, and batches nobody is
  working on (a lost task, a dead worker's lapsed lease) handed out again;
- `plans` (every 30 s): approved alerts whose planning never got going handed out again
  (alerts/fanout/recovery.py);
- `reminders` (every KOMEK_OUTBOX_SECONDS): due booking reminders into the outbox, which the
  bot process sends;
- `sessions` (hourly): expired staff sessions deleted;
- `retention` (daily, first at start): personal data past its time deleted or anonymised
  (KOMEK_RETENTION_*; the same rules as `komek retention run`).

Every job is safe to run twice at once (conditional updates, unique keys).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import structlog

from alerts import retention as alerts_retention
from alerts.fanout.engine import Fanout
from alerts.fanout.recovery import PlanRecovery
from alerts.fanout.worker import TICK_SECONDS
from bookings import retention as bookings_retention
from bookings.notices import queue_reminders
from bookings.service import BookingService
from core import retention
from core.clock import Clock
from core.database import SessionFactory
from core.metrics import SCHEDULER_LAST_SUCCESS, SCHEDULER_RUNS
from core.staff.accounts import StaffAccounts

log = structlog.get_logger(__name__)

PLANS_SECONDS = 30.0
SESSIONS_SECONDS = 3600.0
RETENTION_SECONDS = 86400.0


@dataclass(frozen=True, slots=True)
class Job:
    """One periodic piece of work: its name (a metric label), how often, and what it does."""

    name: str
    every: float
    run: Callable[[], Awaitable[object]]


class Scheduler:
    """The periodic jobs of a deployment, on the services of one process."""

    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        fanout: Fanout,
        bookings: BookingService,
        accounts: StaffAccounts,
        *,
        stale: timedelta,
        retention_policy: retention.Policy,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._fanout = fanout
        self._bookings = bookings
        self._accounts = accounts
        self._recovery = PlanRecovery(sessions, clock, fanout, stale=stale)
        self._retention_rules = [
            *alerts_retention.rules(retention_policy),
            *retention.core_rules(retention_policy),
            *bookings_retention.rules(retention_policy),
        ]

    def jobs(self, *, reminders_every: float) -> list[Job]:
        """The one list of periodic jobs, for `komek scheduler` and single-process mode alike."""
        return [
            Job("alerts", TICK_SECONDS, self.escalate),
            Job("plans", PLANS_SECONDS, self.plan_again),
            Job("reminders", reminders_every, self.remind),
            Job("sessions", SESSIONS_SECONDS, self.purge_sessions),
            Job("retention", RETENTION_SECONDS, self.retain),
        ]

    async def escalate(self) -> int:
        """Escalation steps that are due, and batches nobody works on, to the workers."""
        handed_out = await self._fanout.tick()
        if handed_out:
            log.info("scheduler.batches_handed_out", batches=handed_out)
        return handed_out

    async def plan_again(self) -> list[int]:
        """Approved alerts with no planning seen for a while, handed to the workers again."""
        return await self._recovery.plan_again()

    async def remind(self) -> int:
        """Due booking reminders into the outbox (claimed there, so never queued twice)."""
        async with self._sessions.begin() as session:
            queued = await queue_reminders(self._bookings, session, self._clock.now())
        if queued:
            log.info("scheduler.reminders_queued", reminders=queued)
        return queued

    async def purge_sessions(self) -> None:
        await self._accounts.staff_sessions.purge_expired(self._clock.now())

    async def retain(self) -> dict[str, int]:
        """Delete and anonymise what the retention settings no longer allow to keep."""
        counts = await retention.run(
            self._sessions,
            self._retention_rules,
            now=self._clock.now(),
            actor="scheduler",
            dry_run=False,
        )
        log.info("scheduler.retention", **counts)
        return counts


async def run_job(job: Job, clock: Clock) -> None:
    """Run a job forever, `job.every` apart; a failure is logged and counted, never fatal."""
    while True:
        try:
            await job.run()
        except Exception:
            SCHEDULER_RUNS.labels(job=job.name, outcome="failed").inc()
            log.exception("scheduler.job_failed", job=job.name)
        else:
            SCHEDULER_RUNS.labels(job=job.name, outcome="ok").inc()
            SCHEDULER_LAST_SUCCESS.labels(job=job.name).set(clock.now().timestamp())
        await clock.sleep(job.every)


@asynccontextmanager
async def running(jobs: Sequence[Job], clock: Clock) -> AsyncIterator[tuple[str, ...]]:
    """The jobs running in the background of this block; yields their names."""
    tasks = [asyncio.create_task(run_job(job, clock), name=f"job:{job.name}") for job in jobs]
    if jobs:
        log.info("scheduler.started", jobs=[job.name for job in jobs])
    try:
        yield tuple(job.name for job in jobs)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
