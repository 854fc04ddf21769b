"""The npm peers of the interoperability tests, run as child processes on 127.0.0.1.

Each one is a Node script under tests/interop that prints JSON lines (events) and reads JSON
lines (commands); it exits when its stdin closes, and the fixture kills it on teardown, so
nothing outlives a test. The packages are pinned in tests/node/package-lock.json and
installed there by `make test` (npm ci).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tests.conftest import need

HERE = Path(__file__).parent
NODE_MODULES = HERE.parent / "node" / "node_modules"
Event = dict[str, Any]


def need_node_package(name: str) -> None:
    need(shutil.which("node") is not None, "node is not installed")
    need((NODE_MODULES / name).is_dir(), f"npm package {name} missing: run make node-packages")


class NodePeer:
    """A Node script of this folder, as a child process speaking JSON lines."""

    script = ""
    package = ""

    def __init__(self, *args: str) -> None:
        self._args = args
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self.events: list[Event] = []
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> Self:
        need_node_package(self.package)
        self._process = await asyncio.create_subprocess_exec(
            "node",
            str(HERE / self.script),
            *self._args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={"NODE_PATH": str(NODE_MODULES), "PATH": "/usr/bin:/bin"},
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda: self.first("listening") is not None, 20.0)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            assert process.stdin is not None
            process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), 5.0)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        async for line in self._process.stdout:
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                async with self._changed:
                    self.events.append(event)
                    self._changed.notify_all()

    async def kill(self) -> None:
        """End the peer at once (SIGKILL), as a crash or an operator's kill -9 would: its
        connections close without a word; what it printed before stays readable."""
        assert self._process is not None
        self._process.kill()
        await self._process.wait()
        if self._reader is not None:
            await self._reader  # the rest of its output, up to where it died

    def of(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.get("event") == kind]

    def first(self, kind: str) -> Event | None:
        found = self.of(kind)
        return found[0] if found else None

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(until(), seconds)

    async def command(self, cmd: str, **values: Any) -> None:
        """Send a command and wait until the peer has carried it out."""
        assert self._process is not None and self._process.stdin is not None
        done = len([e for e in self.of("done") if e.get("cmd") == cmd])
        self._process.stdin.write((json.dumps({"cmd": cmd, **values}) + "\n").encode())
        await self._process.stdin.drain()
        await self.wait_for(lambda: len([e for e in self.of("done") if e.get("cmd") == cmd]) > done)


class NodeSmsc(NodePeer):
    """node-smpp 0.5.1's server as an SMS centre (tests/interop/node_smsc.js)."""

    script = "node_smsc.js"
    package = "smpp"
    host = "127.0.0.1"

    def __init__(
        self, system_id: str = "komek", password: str = "secret", *, port: int = 0
    ) -> None:
        """`port` 0: any free port (the `port` property says which)."""
        super().__init__(f"--system-id={system_id}", f"--password={password}", f"--port={port}")

    @property
    def port(self) -> int:
        listening = self.first("listening")
        assert listening is not None
        return int(listening["port"])

    @property
    def submits(self) -> list[Event]:
        return self.of("submit")

    def texts_to(self, destination: str) -> list[str]:
        """The texts a phone shows: parts put together by reference, in order."""
        messages: dict[tuple[Any, ...], list[Event]] = {}
        for part in self.submits:
            if part["destination"] != destination.removeprefix("+"):
                continue
            key = (part["reference"], part["total"]) if part["total"] > 1 else (part["number"],)
            messages.setdefault(key, []).append(part)
        return [
            "".join(p["text"] for p in sorted(parts, key=lambda p: p["index"]))
            for parts in messages.values()
        ]


class NodeTelegram(NodePeer):
    """telegram-test-api 4.2.1 as the Bot API, with one user (tests/interop/node_telegram.js)."""

    script = "node_telegram.js"
    package = "telegram-test-api"

    def __init__(self, token: str, port: int) -> None:
        super().__init__(f"--token={token}", f"--port={port}")

    @property
    def url(self) -> str:
        listening = self.first("listening")
        assert listening is not None
        return str(listening["url"])

    async def bot_messages(self) -> list[Event]:
        """What the bot has sent the user so far, oldest first."""
        await self.command("history")
        updates = self.of("history")[-1]["updates"]
        return [
            {**u["message"], "message_id": u.get("messageId")}
            for u in updates
            if "chat_id" in u.get("message", {})  # the emulator stores the bot's by chat_id
        ]
