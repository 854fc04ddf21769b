"""The composition root: the services a process needs, built once from one Settings object.

Every long-running command (`run`, `bot`, `console`, `worker`, `scheduler`, `alerts send`)
starts from `assembled(settings)` and then chooses which parts to run: the alert system with
or without sending, the console, the bot, the periodic jobs. Whether this process is the whole
system (no Redis: it sends alerts and runs the periodic jobs itself) is decided here, once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bookings.service import BookingService
from cli.alerts_runtime import AlertSystem, alert_system
from cli.jobs import Job, Scheduler, running
from cli.start import migrated_sessions
from console.assembly import console_context, login_policy
from core import retention
from core.clock import Clock, SystemClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings
from core.staff.accounts import StaffAccounts
from voice.factory import build_voice
from voice.service import Voice

if TYPE_CHECKING:  # aiogram and the console's web stack load only where they are used
    from aiogram import Bot

    from console.context import ConsoleContext


def is_embedded(settings: Settings) -> bool:
    """No Redis: one process is the whole system (it sends alerts and runs the periodic jobs)."""
    return not settings.redis_url


@dataclass(frozen=True)
class App:
    """What one process shares between its parts: made once, passed down."""

    settings: Settings
    sessions: SessionFactory
    clock: Clock
    catalogs: Catalogs
    bookings: BookingService
    accounts: StaffAccounts
    voice: Voice | None
    embedded: bool
    """No Redis: this process sends alerts and runs the periodic jobs itself."""

    @classmethod
    def build(
        cls,
        settings: Settings,
        sessions: SessionFactory,
        clock: Clock | None = None,
        *,
        voice: bool | Voice = False,
    ) -> App:
        """The shared services on a migrated database; `voice=True` builds the voice engines."""
        clock = clock or SystemClock()
        return cls(
            settings=settings,
            sessions=sessions,
            clock=clock,
            catalogs=Catalogs.load(),
            bookings=BookingService(sessions, clock),
            accounts=StaffAccounts(sessions, clock, login_policy(settings)),
            voice=(build_voice(settings) if voice is True else voice or None),
            embedded=is_embedded(settings),
        )

    def alerts(
        self,
        *,
        bot: Bot | None,
        sends: bool | None = None,
        sandbox_url: str | None = None,
        announce_bind: bool = True,
    ) -> AbstractAsyncContextManager[AlertSystem]:
        """The alert system; it sends from this process when embedded unless `sends` says.
        `announce_bind`: say in the database while this process is bound to the SMSC."""
        return alert_system(
            self.settings,
            self.sessions,
            self.clock,
            bot=bot,
            catalogs=self.catalogs,
            voice=self.voice,
            sends=self.embedded if sends is None else sends,
            sandbox_url=sandbox_url,
            announce_bind=announce_bind,
        )

    def console(self, alerts: AlertSystem) -> ConsoleContext:
        return console_context(
            self.settings,
            self.sessions,
            self.clock,
            alerts=alerts.service,
            bookings=self.bookings,
            catalogs=self.catalogs,
            voice=self.voice,
        )

    def console_server(self, alerts: AlertSystem) -> AbstractAsyncContextManager[str]:
        """The staff console served on the configured host and port; yields its URL."""
        from console.server import console_server

        context = self.console(alerts)
        return console_server(context, self.settings.console_host, self.settings.console_port)

    def jobs(self, alerts: AlertSystem) -> list[Job]:
        """The periodic jobs: the same list for `komek scheduler` and single-process mode."""
        scheduler = Scheduler(
            self.sessions,
            self.clock,
            alerts.fanout,
            self.bookings,
            self.accounts,
            stale=timedelta(seconds=self.settings.alert_task_idle_seconds),
            retention_policy=retention.Policy.from_settings(self.settings),
        )
        return scheduler.jobs(reminders_every=self.settings.outbox_seconds)

    def own_jobs(self, alerts: AlertSystem) -> AbstractAsyncContextManager[tuple[str, ...]]:
        """The periodic jobs in this process's background when it is embedded; else none
        (`komek scheduler` runs them for the deployment)."""
        return running(self.jobs(alerts) if self.embedded else [], self.clock)


@asynccontextmanager
async def assembled(
    settings: Settings, *, clock: Clock | None = None, voice: bool = False
) -> AsyncIterator[App]:
    """The database migrated to the newest revision, and the process's shared services on it."""
    async with migrated_sessions(settings) as sessions:
        yield App.build(settings, sessions, clock, voice=voice)
