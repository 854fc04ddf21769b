"""The scheduler's jobs, in this process on a clock moved by hand; messages go to the sandbox.

Escalation of a silent recipient, an approved alert whose plan task was lost (as when Redis
loses its memory) handed out again, booking reminders into the outbox, expired staff sessions
deleted, and a failing job that neither stops the others nor goes unnoticed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select, update

from alerts.cap.export import to_xml
from alerts.models import Alert, AlertState, Registrant
from bookings.service import BookingService
from bot.telegram.app import build_bot
from cli.alerts_runtime import AlertSystem, alert_system
from cli.jobs import Job, Scheduler, run_job
from console.assembly import login_policy
from core import retention
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.notifications import Notification
from core.settings import Settings
from core.staff.accounts import StaffAccounts
from core.staff.models import StaffSession
from core.staff.roles import Role
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import SENT, add_registrants, alert
from tests.bookings.conftest import PROVIDERS, local, person_maker
from tests.deploy.logs import json_logs, read_lines

TOKEN = "123456:scheduler-test"
MINUTE = 60.0


@dataclass
class World:
    scheduler: Scheduler
    system: AlertSystem
    sandbox: SandboxClient
    clock: ManualClock
    sessions: SessionFactory
    bookings: BookingService
    accounts: StaffAccounts


@pytest.fixture
async def world(settings: Settings, sessions: SessionFactory) -> AsyncIterator[World]:
    clock = ManualClock(SENT)
    settings = settings.model_copy(
        update={"alert_escalation_minutes": "10,20,30,45", "alert_task_idle_seconds": 60.0}
    )
    async with SandboxServer("127.0.0.1", 0) as server, SandboxClient(server.base_url) as client:
        bot = build_bot(TOKEN, server.base_url)
        try:
            async with alert_system(
                settings, sessions, clock, bot=bot, catalogs=Catalogs.load(), voice=None
            ) as system:
                bookings = BookingService(sessions, clock)
                await bookings.seed_providers(PROVIDERS)
                accounts = StaffAccounts(sessions, clock, login_policy(settings))
                scheduler = Scheduler(
                    sessions,
                    clock,
                    system.fanout,
                    bookings,
                    accounts,
                    stale=timedelta(seconds=settings.alert_task_idle_seconds),
                    retention_policy=retention.Policy.from_settings(settings),
                )
                yield World(scheduler, system, client, clock, sessions, bookings, accounts)
        finally:
            await bot.session.close()


async def test_a_silent_recipient_of_a_severe_alert_is_reminded(world: World) -> None:
    (silent,) = await world.sandbox.add_users(1)
    await add_registrants(world.sessions, [{"telegram_chat_id": silent}])
    stored = await world.system.service.receive(to_xml(alert("sched-esc")), actor="test")
    await world.system.service.approve(stored.id, actor="test")
    await world.system.fanout.wait_idle()
    assert await world.sandbox.message_counts() == {silent: 1}

    world.clock.tick(9 * MINUTE)
    assert await world.scheduler.escalate() == 0
    world.clock.tick(1 * MINUTE)
    assert await world.scheduler.escalate() == 1
    await world.system.fanout.wait_idle()
    assert await world.sandbox.message_counts() == {silent: 2}


async def test_an_alert_whose_plan_was_lost_is_handed_out_again(world: World) -> None:
    chats = list(await world.sandbox.add_users(2))
    await add_registrants(world.sessions, [{"telegram_chat_id": chat} for chat in chats])
    stored = await world.system.service.receive(to_xml(alert("sched-lost")), actor="test")
    # Approved, but the task that plans it never reached a worker (Redis lost it).
    async with world.sessions.begin() as session:
        await session.execute(
            update(Alert)
            .where(Alert.id == stored.id)
            .values(state=AlertState.SENDING, approved_by="test", approved_at=world.clock.now())
        )

    world.clock.tick(30)
    assert await world.scheduler.plan_again() == [], "planning may still be on its way"
    world.clock.tick(31)
    assert await world.scheduler.plan_again() == [stored.id]
    await world.system.fanout.wait_idle()
    assert await world.sandbox.message_counts() == dict.fromkeys(chats, 1)
    assert (await world.system.service.status(stored.id)).deliveries == {"telegram": {"sent": 2}}

    world.clock.tick(20 * MINUTE)
    assert await world.scheduler.plan_again() == [], "planned now: nothing to do"


async def test_a_long_plan_in_progress_is_left_alone(world: World) -> None:
    chats = list(await world.sandbox.add_users(1))
    await add_registrants(world.sessions, [{"telegram_chat_id": chats[0]}])
    stored = await world.system.service.receive(to_xml(alert("sched-busy")), actor="test")
    await world.system.service.approve(stored.id, actor="test")
    await world.system.fanout.wait_idle()
    async with world.sessions.begin() as session:  # as if still planning later batches
        await session.execute(
            update(Alert)
            .where(Alert.id == stored.id)
            .values(state=AlertState.SENDING, planned_at=None)
        )
    world.clock.tick(30)
    assert await world.scheduler.plan_again() == [], "rows were written a moment ago"


async def test_booking_reminders_go_into_the_outbox_once(world: World) -> None:
    person = await person_maker(world.sessions, world.clock)("deaf")
    monday = date(2026, 11, 30)
    event = await world.bookings.request(
        person, "sign_interpreter", local(monday, 10), 2, region="75"
    )
    await world.bookings.confirm(event.booking.id, "staff:1")
    assert await world.scheduler.remind() == 0
    world.clock.tick((local(monday - timedelta(days=1), 10) - world.clock.now()).total_seconds())

    assert await world.scheduler.remind() == 1
    assert await world.scheduler.remind() == 0
    async with world.sessions() as session:
        keys = list(await session.scalars(select(Notification.key)))
    assert keys.count("booking.reminder.day_before") == 1


async def test_expired_staff_sessions_are_deleted(world: World) -> None:
    await world.accounts.create("aigul", "correct horse battery", {Role.ADMIN}, actor="test")
    await world.accounts.staff_sessions.log_in("aigul", "correct horse battery", origin=None)

    async def sessions_kept() -> int:
        async with world.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(StaffSession)) or 0)

    await world.scheduler.purge_sessions()
    assert await sessions_kept() == 1
    world.clock.tick(timedelta(hours=13).total_seconds())
    await world.scheduler.purge_sessions()
    assert await sessions_kept() == 0


async def test_retention_runs_as_a_job_and_forgets_who_left_the_list(world: World) -> None:
    await add_registrants(world.sessions, [{"telegram_chat_id": 501}, {"telegram_chat_id": 502}])
    async with world.sessions.begin() as session:
        await session.execute(
            update(Registrant)
            .where(Registrant.telegram_chat_id == 501)
            .values(active=False, inactive_since=world.clock.now())
        )
    assert "retention" in [job.name for job in world.scheduler.jobs(reminders_every=5.0)]
    assert (await world.scheduler.retain())["registrants_deleted"] == 0, "left only today"
    world.clock.tick(timedelta(days=31).total_seconds())
    assert (await world.scheduler.retain())["registrants_deleted"] == 1
    async with world.sessions() as session:
        left = list(await session.scalars(select(Registrant.telegram_chat_id)))
    assert left == [502]


async def test_a_failing_job_is_logged_counted_and_run_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls = 0
    third = asyncio.Event()

    async def flaky() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            third.set()
        if calls == 1:
            raise ConnectionError("database went away")

    def runs(outcome: str) -> float:
        labels = {"job": "flaky", "outcome": outcome}
        return REGISTRY.get_sample_value("komek_scheduler_runs_total", labels) or 0.0

    before = runs("failed"), runs("ok")
    with json_logs():
        running = asyncio.create_task(run_job(Job("flaky", 0.0, flaky), ManualClock(SENT)))
        await asyncio.wait_for(third.wait(), 10)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
    assert (runs("failed") - before[0], runs("ok") - before[1]) >= (1, 2)
    assert (
        REGISTRY.get_sample_value(
            "komek_scheduler_last_success_timestamp_seconds", {"job": "flaky"}
        )
        == SENT.timestamp()
    )
    _, lines = read_lines(capsys)
    failed = [line for line in lines if line["event"] == "scheduler.job_failed"]
    assert failed[0]["job"] == "flaky" and "ConnectionError" in failed[0]["exception"]
