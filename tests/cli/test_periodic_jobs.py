"""`komek run` runs the periodic jobs `komek scheduler` runs: one list, seen at work.

Single-process mode once ran only escalation and reminders: stuck alerts were never planned
again, expired staff sessions never purged, retention never applied. Here the embedded
runtime (the bot on the sandbox, as `komek run` starts it) runs on a clock moved by hand.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, select, update

from alerts.models import Registrant
from bot.dialogue.engine import Dialogue
from cli.assembly import App
from cli.runtime import SANDBOX_TOKEN, serve_bot
from cli.scheduler import run_scheduler
from core.clock import ManualClock
from core.database import SessionFactory
from core.settings import Settings
from core.staff.models import StaffSession
from core.staff.roles import Role
from sandbox.app import SandboxServer
from tests.alerts.broadcast import add_registrants
from tests.waiting import until

PASSWORD = "correct horse battery staple"
WAIT_SECONDS = 120.0
"""How long the jobs may take to run on a busy machine (they take a second or two here)."""


async def started_jobs(logs: list[dict[str, Any]], running: Awaitable[None]) -> list[str]:
    """The jobs a process reports it started (it logs them once they run)."""
    task = asyncio.ensure_future(running)

    async def started() -> bool:
        assert not task.done(), task.exception()
        return any(entry["event"] == "scheduler.started" for entry in logs)

    await until(started, WAIT_SECONDS)
    return next(list(e["jobs"]) for e in logs if e["event"] == "scheduler.started")


async def count(sessions: SessionFactory, table: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_komek_run_runs_the_schedulers_jobs_on_its_clock(
    settings: Settings, sessions: SessionFactory, clock: ManualClock, dialogue: Dialogue
) -> None:
    assert not settings.redis_url, "single-process mode: no Redis"
    # Info events pass whatever level an earlier test in this process left set (the autouse
    # fixture of tests/conftest.py puts the configuration back afterwards).
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    with structlog.testing.capture_logs() as logs:
        scheduler = asyncio.ensure_future(run_scheduler(settings, clock=ManualClock(clock.now())))
        scheduled = await started_jobs(logs, scheduler)
        scheduler.cancel()
        await asyncio.gather(scheduler, return_exceptions=True)
    assert {"alerts", "plans", "reminders", "sessions", "retention"} <= set(scheduled)

    app = App.build(settings, sessions, clock)
    await app.accounts.create("aigul", PASSWORD, frozenset({Role.DISPATCHER}), actor="test")
    await app.accounts.staff_sessions.log_in("aigul", PASSWORD, origin="127.0.0.1")
    await add_registrants(sessions, [{"telegram_chat_id": 501}, {"telegram_chat_id": 502}])
    async with sessions.begin() as session:
        await session.execute(
            update(Registrant)
            .where(Registrant.telegram_chat_id == 501)
            .values(active=False, inactive_since=clock.now())
        )

    async with SandboxServer("127.0.0.1", 0) as sandbox:
        with structlog.testing.capture_logs() as logs:
            running = asyncio.ensure_future(
                serve_bot(
                    app, dialogue, SANDBOX_TOKEN, sandbox.base_url, sandbox_url=sandbox.base_url
                )
            )
            try:
                assert await started_jobs(logs, running) == scheduled

                async def retained() -> bool:
                    return any(entry["event"] == "scheduler.retention" for entry in logs)

                # The first run, at start: nothing is old enough yet.
                await until(retained, WAIT_SECONDS)
                assert await count(sessions, StaffSession) == 1
                assert await count(sessions, Registrant) == 2

                async def cleaned() -> bool:
                    # A month passes for every job asleep by now; one still finishing its first
                    # run on a busy machine sleeps from a later moment and wakes at a later tick.
                    clock.tick(timedelta(days=31).total_seconds())
                    gone = await count(sessions, StaffSession) == 0
                    return gone and await count(sessions, Registrant) == 1

                await until(cleaned, WAIT_SECONDS, every=0.1)
            finally:
                running.cancel()
                await asyncio.gather(running, return_exceptions=True)
