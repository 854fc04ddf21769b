"""The console's context put together from the services a process already has."""

from __future__ import annotations

from datetime import timedelta

from alerts.service import AlertService
from bookings.service import BookingService
from console.context import ConsoleContext
from console.login_limit import LoginLimit
from core.clock import Clock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings
from core.staff.accounts import StaffAccounts
from core.staff.sessions import LoginPolicy
from voice.service import Voice


def login_policy(settings: Settings) -> LoginPolicy:
    return LoginPolicy(
        max_failures=settings.login_account_failures,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
    )


def console_context(
    settings: Settings,
    sessions: SessionFactory,
    clock: Clock,
    *,
    alerts: AlertService,
    bookings: BookingService,
    catalogs: Catalogs,
    voice: Voice | None,
) -> ConsoleContext:
    return ConsoleContext(
        settings=settings,
        sessions=sessions,
        clock=clock,
        accounts=StaffAccounts(sessions, clock, login_policy(settings)),
        alerts=alerts,
        bookings=bookings,
        catalogs=catalogs,
        login_limit=LoginLimit(
            clock,
            free=settings.login_max_failures,
            cap_seconds=settings.login_lockout_minutes * 60,
        ),
        voice=voice,
    )
