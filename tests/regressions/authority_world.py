"""Two CAP senders, two dispatchers and an approver, with the sandbox as recipients' Telegram.

The people who use the console and the API in the regression tests of issue 16, and what
they see: the sandbox chats of the recipients, and the alerts stored.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.cap.model import Reference
from alerts.models import Alert
from tests.alerts.broadcast import add_registrants, alert
from tests.console.harness import ConsoleHarness, StaffClient

CAP = "application/cap+xml"
HYDROMET = "warnings@hydromet.test"
"""The CAP sender value of sender B, the owner of the real alert."""
STRANGER = "ops@stranger.test"
"""The CAP sender value of sender A, who tries to speak for B."""


def document(
    identifier: str,
    sender: str,
    *,
    status: str = "Actual",
    msg_type: str = "Alert",
    references: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """A CAP document for Almaty (KATO 75) in kk, ru and en that has not expired."""
    base = alert(identifier, status=status, msg_type=msg_type)
    later = datetime.now(UTC) + timedelta(days=1)
    return to_xml(
        dataclasses.replace(
            base,
            sender=sender,
            references=tuple(Reference(s, i, base.sent) for s, i in references),
            infos=tuple(dataclasses.replace(info, expires=later) for info in base.infos),
        )
    )


@dataclass
class World:
    console: ConsoleHarness
    api: aiohttp.ClientSession
    stranger: str
    """Sender A's token."""
    hydromet: str
    """Sender B's token."""
    aigerim: StaffClient
    """Dispatcher one."""
    bolat: StaffClient
    """Dispatcher two."""
    erlan: StaffClient
    """The approver."""
    public: int
    """The chat of a recipient outside the test group."""
    tester: int
    """The chat of a recipient in the test group."""

    async def post(self, body: bytes, token: str) -> tuple[int, dict[str, Any]]:
        headers = {"Content-Type": CAP, "Authorization": f"Bearer {token}"}
        async with self.api.post("/api/cap", data=body, headers=headers) as response:
            return response.status, await response.json()

    async def texts(self, chat: int) -> list[str]:
        events = (await self.console.sandbox.events(chat))["events"]
        return [e["message"]["text"] for e in events if e["kind"] == "bot_message"]

    async def alerts(self) -> int:
        async with self.console.ctx.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(Alert)) or 0)

    async def approve(self, alert_id: int) -> int:
        response = await self.erlan.post(f"/alerts/{alert_id}/approve")
        await self.console.system.fanout.wait_idle()
        return response.status


async def world(console: ConsoleHarness) -> World:
    accounts = console.ctx.accounts
    stranger = await accounts.api_senders.create("stranger", actor="test", cap_senders=[STRANGER])
    hydromet = await accounts.api_senders.create("hydromet", actor="test", cap_senders=[HYDROMET])
    for name, roles in (("aigerim", "dispatcher"), ("bolat", "dispatcher"), ("erlan", "approver")):
        await console.add_staff(name, roles)
    public, tester = await console.sandbox.add_users(2)
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": public}, {"telegram_chat_id": tester, "test_group": True}],
    )
    return World(
        console,
        (await console.client()).http,
        stranger,
        hydromet,
        await console.client("aigerim"),
        await console.client("bolat"),
        await console.client("erlan"),
        public,
        tester,
    )
