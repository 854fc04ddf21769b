"""`komek scheduler`: the periodic work a deployment needs done once, not in every worker.

With Redis (production) run exactly one. Its jobs, each on its own clock:

- `alerts` (every 5 s): escalation of severe alerts nobody answered, and batches nobody is
  working on (a lost task, a dead worker's lapsed lease) handed out again;
- `plans` (every 30 s): an approved alert whose planning never got going (its task lost with
  Redis's memory, or the console stopped between approving and handing it out) handed out
  again. With this, Redis holds nothing that must be kept: the database has it all;
- `reminders` (every KOMEK_OUTBOX_SECONDS): due booking reminders into the outbox, which the
  bot process sends;
- `sessions` (hourly): expired staff sessions deleted;
- `retention` (daily, first at start): personal data past its time deleted or anonymised
  (KOMEK_RETENTION_*; the same rules as `komek retention run`).

Every job is safe to run twice at once (conditional updates, unique keys), so a second
scheduler started by mistake does no harm beyond the work. Without Redis, `komek run` and
`komek console` do all of this in their own process, and this command is not needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import exists, select

from alerts import retention as alerts_retention
from alerts.fanout.engine import Fanout
from alerts.models import Alert, AlertState, Delivery
from bookings.notices import queue_reminders
from bookings.service import BookingService
from cli.alerts_runtime import TICK_SECONDS, alert_system
from cli.start import migrated_sessions
from console.assembly import login_policy
from core import retention
from core.clock import Clock, SystemClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.metrics import SCHEDULER_LAST_SUCCESS, SCHEDULER_RUNS
from core.settings import Settings
from core.staff.accounts import StaffAccounts

log = structlog.get_logger(__name__)

PLANS_SECONDS = 30.0
SESSIONS_SECONDS = 3600.0
RETENTION_SECONDS = 86400.0
PLAN_AGAIN_AFTER = timedelta(minutes=10)
"""An alert handed out again is not handed out again before this (its plan may be queued)."""
PLAN_GIVE_UP = timedelta(days=1)
"""Alerts approved longer ago than this are not planned again by the scheduler."""


@dataclass(frozen=True, slots=True)
class Job:
    """One periodic piece of work: its name (a metric label), how often, and what it does."""

    name: str
    every: float
    run: Callable[[], Awaitable[object]]


class Scheduler:
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
        self._stale = stale
        self._planned_again: dict[int, datetime] = {}
        self._retention_rules = [
            *alerts_retention.rules(retention_policy),
            *retention.core_rules(retention_policy),
        ]

    def jobs(self, *, reminders_every: float) -> list[Job]:
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
        now = self._clock.now()
        quiet_since = now - self._stale
        recent_rows = exists().where(
            Delivery.alert_id == Alert.id, Delivery.queued_at >= quiet_since
        )
        async with self._sessions() as session:
            stuck = list(
                await session.scalars(
                    select(Alert.id).where(
                        Alert.state == AlertState.SENDING,
                        Alert.planned_at.is_(None),
                        Alert.approved_at < quiet_since,
                        Alert.approved_at >= now - PLAN_GIVE_UP,
                        ~recent_rows,
                    )
                )
            )
        again = [
            alert_id
            for alert_id in stuck
            if now - self._planned_again.get(alert_id, now - PLAN_AGAIN_AFTER) >= PLAN_AGAIN_AFTER
        ]
        for alert_id in again:
            await self._fanout.start(alert_id)
            self._planned_again[alert_id] = now
            log.warning("scheduler.alert_planned_again", alert=alert_id)
        return again

    async def remind(self) -> int:
        """Due booking reminders into the outbox (claimed there, so never queued twice)."""
        async with self._sessions.begin() as session:
            queued = await queue_reminders(self._bookings, session, self._clock.now())
        if queued:
            log.info("scheduler.reminders_queued", reminders=queued)
        return queued

    async def purge_sessions(self) -> None:
        await self._accounts.purge_sessions(self._clock.now())

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
        await asyncio.sleep(job.every)


async def run_scheduler(settings: Settings) -> None:
    """`komek scheduler`: every job, until stopped."""
    clock = SystemClock()
    async with (
        migrated_sessions(settings) as sessions,
        alert_system(
            settings,
            sessions,
            clock,
            bot=None,
            catalogs=Catalogs.load(),
            voice=None,
            sends=False,
        ) as alerts,
    ):
        scheduler = Scheduler(
            sessions,
            clock,
            alerts.fanout,
            BookingService(sessions, clock),
            StaffAccounts(sessions, clock, login_policy(settings)),
            stale=timedelta(seconds=settings.alert_task_idle_seconds),
            retention_policy=retention.Policy.from_settings(settings),
        )
        jobs = scheduler.jobs(reminders_every=settings.outbox_seconds)
        log.info("scheduler.started", jobs=[job.name for job in jobs])
        async with asyncio.TaskGroup() as group:
            for job in jobs:
                group.create_task(run_job(job, clock))
