"""The line in front of the test SMSC: a loopback proxy that checks binds and can be cut.

smpp34's Python server accepts every bind and does not show the password, and offers no way
to drop a connection abruptly. The proxy reads the bind PDU (its body starts with system_id
and password as C strings), closes the connection when they are wrong, and otherwise passes
bytes both ways untouched until `cut()` aborts every socket at once, as a network failure would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import smpp34

HOST = "127.0.0.1"
BIND_COMMANDS = frozenset({0x00000001, 0x00000002, 0x00000009})


class Line:
    """A loopback proxy that checks bind credentials and can cut every connection at once."""

    def __init__(self, upstream_port: int, system_id: str, password: str) -> None:
        self.upstream_port = upstream_port
        self.system_id = system_id
        self.password = password
        self.refused = 0
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, HOST, 0)
        return int(self._server.sockets[0].getsockname()[1])

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await reader.readexactly(4)
            first = head + await reader.readexactly(int.from_bytes(head, "big") - 4)
        except (asyncio.IncompleteReadError, ConnectionError):
            self._close(writer)
            return
        pdu = smpp34.decode(first)
        fields = pdu.body.split(b"\0") if isinstance(pdu, smpp34.RawPdu) else []
        if (
            not isinstance(pdu, smpp34.RawPdu)
            or pdu.command_id not in BIND_COMMANDS
            or len(fields) < 2
            or fields[0].decode("ascii", "replace") != self.system_id
            or fields[1].decode("ascii", "replace") != self.password
        ):
            self.refused += 1
            self._close(writer)
            return
        upstream_reader, upstream = await asyncio.open_connection(HOST, self.upstream_port)
        self._writers.add(upstream)
        self.connections += 1
        upstream.write(first)
        self._spawn(self._pump(reader, upstream, writer))
        self._spawn(self._pump(upstream_reader, writer, upstream))

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, other: asyncio.StreamWriter
    ) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except OSError:  # the line was cut (ConnectionError is an OSError): nothing to pump
            pass
        finally:
            self._close(sink)
            self._close(other)

    def _close(self, writer: asyncio.StreamWriter) -> None:
        self._writers.discard(writer)
        writer.transport.abort()

    def cut(self) -> None:
        """Drop every connection at once, without a goodbye on either side."""
        for writer in list(self._writers):
            self._close(writer)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        self.cut()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
