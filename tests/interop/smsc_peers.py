"""One scenario, two SMS centres: node-smpp's (not ours, in another process) and smpp34's
(tests/servers/smsc.py, the project's own test SMSC). A scenario drives either through
`SmscPeer`, so what holds against one is checked against the other."""

from __future__ import annotations

from typing import Protocol

from tests.interop.node_peers import NodeSmsc
from tests.servers.smsc import Smsc


class SmscPeer(Protocol):
    host: str

    @property
    def port(self) -> int: ...

    async def receipts_on_another_bind(self, *, fail_from: int) -> None:
        """Each receipt on another bound session; parts from `fail_from` on (1-based) fail."""

    async def wait_binds(self, count: int) -> None:
        """Until `count` sessions are bound."""

    async def text_from(self, phone: str, text: str) -> None:
        """A text from a phone to the bound ESME."""

    def part_totals(self) -> list[int]:
        """How many parts each accepted submit_sm's message has."""


class NodeSmscPeer:
    def __init__(self, smsc: NodeSmsc) -> None:
        self.smsc = smsc
        self.host = smsc.host

    @property
    def port(self) -> int:
        return self.smsc.port

    async def receipts_on_another_bind(self, *, fail_from: int) -> None:
        await self.smsc.command("receipts", mode="other", fail_from=fail_from)

    async def wait_binds(self, count: int) -> None:
        await self.smsc.wait_for(lambda: len(self.smsc.of("bound")) >= count)

    async def text_from(self, phone: str, text: str) -> None:
        await self.smsc.command("mo", **{"from": phone.removeprefix("+"), "text": text})

    def part_totals(self) -> list[int]:
        return [part["total"] for part in self.smsc.submits]


class OwnSmscPeer:
    def __init__(self, smsc: Smsc) -> None:
        self.smsc = smsc
        self.host = smsc.host

    @property
    def port(self) -> int:
        return self.smsc.port

    async def receipts_on_another_bind(self, *, fail_from: int) -> None:
        self.smsc.receipts_elsewhere = True
        self.smsc.fail_from = fail_from

    async def wait_binds(self, count: int) -> None:
        await self.smsc.wait_bound(sessions=count)

    async def text_from(self, phone: str, text: str) -> None:
        await self.smsc.send_text(phone, text)

    def part_totals(self) -> list[int]:
        return [part.total for part in self.smsc.messages]
