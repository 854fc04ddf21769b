"""What the console's routes work with, built once per process and kept on the app."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from alerts.service import AlertService
from bookings.service import BookingService
from console.login_limit import LoginLimit
from core.clock import Clock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings
from core.staff.accounts import StaffAccounts
from voice.service import Voice


@dataclass
class ConsoleContext:
    """Everything the console's routes use, built once per process."""

    settings: Settings
    sessions: SessionFactory
    clock: Clock
    accounts: StaffAccounts
    alerts: AlertService
    bookings: BookingService
    catalogs: Catalogs
    login_limit: LoginLimit
    voice: Voice | None = None
    extras: dict[str, object] = field(default_factory=dict)
    """Objects a feature keeps for the process (e.g. the SSE hub), by name."""


def context_of(request: Request) -> ConsoleContext:
    """The console's context; routes declare it as `ctx: Context` (console/deps.py)."""
    ctx: ConsoleContext = request.app.state.context
    return ctx
