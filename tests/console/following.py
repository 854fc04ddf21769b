"""Helpers of the alert-following tests: staff, an alert received or sent, an answer given."""

from __future__ import annotations

import re

from sqlalchemy import select

from alerts.acks import Acks
from alerts.cap.export import to_xml
from alerts.models import Answer, Registrant
from tests.alerts.broadcast import alert
from tests.console.harness import ConsoleHarness, StaffClient

PHONES = ["+77011234567", "+77021112233"]
RUSSIAN = {"Accept-Language": "ru"}
CELL = re.compile(r'data-cell="([^"]+)">([\d,]+)<')


def cells(html: str) -> dict[str, int]:
    """The figures of an alert page, by the name of their cell."""
    return {name: int(value.replace(",", "")) for name, value in CELL.findall(html)}


async def staff(console: ConsoleHarness) -> StaffClient:
    await console.add_staff("dana", "dispatcher")
    await console.add_staff("erlan", "approver")
    return await console.client("dana")


async def receive(console: ConsoleHarness, identifier: str = "quake-1") -> int:
    stored = await console.system.service.receive(
        to_xml(alert(identifier)), actor="staff:dana", origin="127.0.0.1"
    )
    return stored.id


async def send(console: ConsoleHarness, identifier: str = "quake-1") -> int:
    alert_id = await receive(console, identifier)
    await console.system.service.approve(alert_id, actor="staff:erlan")
    await console.system.fanout.wait_idle()
    return alert_id


async def answer(console: ConsoleHarness, chat_id: int, given: Answer) -> None:
    async with console.ctx.sessions.begin() as session:
        registrant = await session.scalar(
            select(Registrant).where(Registrant.telegram_chat_id == chat_id)
        )
        assert registrant is not None
        assert await Acks(console.ctx.clock).answer(session, registrant, given, via="button")
