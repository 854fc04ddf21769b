"""`komek scheduler`: the periodic jobs (cli/jobs.py) once for a deployment with Redis.

With Redis (production) run exactly one; a second one started by mistake does no harm beyond
the work. Without Redis, `komek run` and `komek console` run the same jobs in their own
process, and this command is not needed.
"""

from __future__ import annotations

import asyncio

from cli.assembly import assembled
from cli.jobs import running
from core.clock import Clock
from core.settings import Settings


async def run_scheduler(settings: Settings, *, clock: Clock | None = None) -> None:
    """`komek scheduler`: every job, until stopped (on the system clock unless given one)."""
    async with (
        assembled(settings, clock=clock) as app,
        app.alerts(bot=None, sends=False) as alerts,
        running(app.jobs(alerts), app.clock),
    ):
        await asyncio.Event().wait()
