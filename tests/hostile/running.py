"""The console's ASGI app in-process, on an event loop of its own, for hostile-input tests.

Hypothesis runs examples synchronously; the app, its database and the health probe live on
one event loop in a background thread, and each example is a request handed to that loop.
The probe asks GET /healthz every 20 ms and keeps the slowest answer: a request that held
the event loop shows there as a stall.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select, text

from alerts.cap.export import to_xml
from bookings.service import BookingService
from cli.alerts_runtime import alert_system
from console.app import create_app
from console.assembly import console_context
from console.context import ConsoleContext
from console.security import SESSION_COOKIE
from core.clock import SystemClock
from core.database import create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.settings import Settings
from core.staff.credentials import new_token, token_hash
from core.staff.models import StaffSession, StaffUser
from core.staff.roles import Role
from tests.alerts.broadcast import SENDER, alert
from tests.regressions.asgi_calls import Answer, call
from tests.waiting import until

T = TypeVar("T")
PASSWORD = "correct horse battery staple"
STATE = text(
    "SELECT"
    " (SELECT group_concat(id || state || status || msg_type || coalesce(approved_by, ''))"
    "  FROM alerts),"
    " (SELECT count(*) FROM alert_recipients), (SELECT count(*) FROM deliveries),"
    " (SELECT count(*) || '/' || coalesce(sum(active), 0) || '/' || coalesce(max(id), 0)"
    "  FROM registrants),"
    " (SELECT group_concat(id || status) FROM bookings),"
    " (SELECT group_concat(username || password_hash || roles || active || regions)"
    "  FROM staff_users),"
    " (SELECT group_concat(name || active) FROM api_senders),"
    " (SELECT group_concat(cap_sender || sender_id) FROM api_sender_identities),"
    " (SELECT count(*) FROM handover_requests)"
)
"""What a refused request must leave as it was, in one statement (the audit log and the
sign-in counters may record the refusal itself)."""


@dataclass
class Probe:
    slowest: float = 0.0
    slowest_during: str = ""
    """The request being answered when the slowest probe answer came."""
    answers: int = 0
    stalls: list[tuple[float, str]] = field(default_factory=list)
    """Probe answers slower than 1 s, with the request in flight."""
    current: str = ""


@dataclass
class Hostile:
    """The running console: an admin with every role, a CAP sender, an alert to act on."""

    loop: asyncio.AbstractEventLoop
    ctx: ConsoleContext
    app: Any
    cookie: str
    csrf: str
    token: str
    alert_id: int
    probe: Probe
    last_state: tuple[Any, ...] = ()
    """Everything stored, as the previous example left it."""

    def run(self, work: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=120)  # type: ignore[arg-type]

    def request(self, method: str, path: str, **kwargs: Any) -> Answer:
        self.probe.current = f"{method} {path}"
        return self.run(call(self.app, method, path, **kwargs))

    def signed_in(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"cookie": f"{SESSION_COOKIE}={self.cookie}", **(extra or {})}

    def state(self) -> tuple[Any, ...]:
        return self.run(_state(self.ctx))


async def _state(ctx: ConsoleContext) -> tuple[Any, ...]:
    async with ctx.sessions() as session:
        return tuple((await session.execute(STATE)).one())


async def _probe(app: Any, probe: Probe) -> None:
    while True:
        started = time.perf_counter()
        answer = await call(app, "GET", "/healthz")
        took = time.perf_counter() - started
        probe.answers += 1
        if took > probe.slowest:
            probe.slowest, probe.slowest_during = took, probe.current
        if took > 1.0:
            probe.stalls.append((took, probe.current))
        assert answer.status in (200, 503)
        await asyncio.sleep(0.02)


async def _start(stack: AsyncExitStack, folder: Path, loop: asyncio.AbstractEventLoop) -> Hostile:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=folder,
        flood_messages=1000,
    )
    engine = create_engine(settings)
    stack.push_async_callback(engine.dispose)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = SystemClock()
    catalogs = Catalogs.load()
    system = await stack.enter_async_context(
        alert_system(settings, sessions, clock, bot=None, catalogs=catalogs, voice=None)
    )
    bookings = BookingService(sessions, clock)
    await bookings.seed_providers()
    ctx = console_context(
        settings,
        sessions,
        clock,
        alerts=system.service,
        bookings=bookings,
        catalogs=catalogs,
        voice=None,
    )
    await ctx.accounts.create("root", PASSWORD, frozenset(Role), actor="test")
    await ctx.accounts.set_regions("root", ("71", "75"), actor="test")
    login = await ctx.accounts.staff_sessions.log_in("root", PASSWORD, origin=None)
    token = await ctx.accounts.api_senders.create("hostile", actor="test", cap_senders=[SENDER])
    stored = await system.service.receive(to_xml(alert("seed-1")), actor="sender:hostile")
    app = create_app(ctx)
    probe = Probe()
    task = asyncio.create_task(_probe(app, probe))

    async def stop_probe() -> None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    stack.push_async_callback(stop_probe)
    await call(app, "GET", "/healthz")  # warm up before the figures count

    async def probe_answered() -> bool:
        return probe.answers > 0

    await until(probe_answered)
    probe.slowest, probe.answers = 0.0, 0
    world = Hostile(loop, ctx, app, login.token, login.staff.csrf_token, token, stored.id, probe)
    world.last_state = await _state(ctx)
    return world


@contextmanager
def hostile_console(folder: Path) -> Iterator[Hostile]:
    """The console on a loop in a background thread, until the block ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="hostile-console", daemon=True)
    thread.start()
    stack = AsyncExitStack()
    try:
        world = asyncio.run_coroutine_threadsafe(_start(stack, folder, loop), loop).result(120)
        yield world
    finally:
        asyncio.run_coroutine_threadsafe(stack.aclose(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


async def _keep_signed_in(world: Hostile) -> None:
    if await world.ctx.accounts.staff_sessions.session_staff(world.cookie) is not None:
        return
    # A session as signing in makes one, without Argon2's second per example.
    cookie, csrf = new_token(), new_token()
    now = world.ctx.clock.now()
    async with world.ctx.sessions.begin() as session:
        user = await session.scalar(select(StaffUser).where(StaffUser.username == "root"))
        assert user is not None and user.active
        session.add(
            StaffSession(
                token_hash=token_hash(cookie),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=12),
            )
        )
    world.cookie, world.csrf = cookie, csrf


def keep_signed_in(world: Hostile) -> None:
    """Sign the suite's admin in again if an example signed it out."""
    world.run(_keep_signed_in(world))
