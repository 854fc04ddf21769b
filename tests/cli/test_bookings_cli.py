"""`komek bookings` for coordinators: list, confirm (the person is told), decline with a reason."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bookings.service import BookingService
from core import audit
from core.clock import SystemClock
from core.database import create_engine, session_factory, upgrade
from core.notifications import Notification
from core.people import People
from core.profile import Language
from core.settings import Settings
from tests.cli.test_chat import komek


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMEK_DATA_DIR": str(data_dir), "KOMEK_LOG_LEVEL": "WARNING"}
    return subprocess.run([komek(), *args], env=env, capture_output=True, text=True, timeout=120)


async def test_confirm_and_decline_from_the_command_line(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    engine = create_engine(settings)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = SystemClock()
    bookings = BookingService(sessions, clock)
    await bookings.seed_providers()
    async with sessions.begin() as session:
        person = await People(clock).create(session, 4242, Language.EN)
        person.disability_kinds = ["deaf"]
    monday = datetime.now(UTC).date() + timedelta(days=7 - datetime.now(UTC).weekday())
    ids = []
    for hour in (4, 5):  # 09:00 and 10:00 local
        event = await bookings.request(
            person,
            "sign_interpreter",
            datetime(monday.year, monday.month, monday.day, hour, tzinfo=UTC),
        )
        ids.append(event.booking.id)
    await engine.dispose()

    listed = run(["bookings", "list", "--status", "requested"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [str(i) for i in ids]
    confirmed = run(["bookings", "confirm", str(ids[0]), "--as", "anna"], tmp_path)
    assert confirmed.returncode == 0 and "requested → confirmed" in confirmed.stdout
    declined = run(
        ["bookings", "decline", str(ids[1]), "--reason", "No interpreter free", "--as", "anna"],
        tmp_path,
    )
    assert declined.returncode == 0, declined.stderr
    again = run(["bookings", "confirm", str(ids[1]), "--as", "anna"], tmp_path)
    assert again.returncode == 1 and "illegal_transition" in again.stderr

    engine = create_engine(settings)
    async with session_factory(engine)() as session:
        told = (await session.scalars(select(Notification).order_by(Notification.id))).all()
        actions = [e.action for e in await audit.entries(session) if e.actor == "staff:anna"]
    await engine.dispose()
    assert [n.key for n in told] == ["booking.event.confirmed", "booking.event.declined"]
    assert told[1].params["reason"] == "No interpreter free"
    assert actions == ["booking.confirmed", "booking.declined"]
