"""Prepared Bot API sends over kept-alive HTTP/1.1 connections, without a client library's
per-request machinery.

A broadcast posts thousands of prepared JSON bodies a second to one host. aiohttp builds a
request object, merges headers, looks up a payload type, starts a writer task and a timer and
builds a response object for each; that was over a third of the fan-out's CPU. Here a request
is one write of bytes built from a fixed prefix, and the answer is read straight from the
socket: the status, the headers the answer needs (Content-Length, chunked transfer encoding,
Connection: close) and the body. One request at a time on each connection, at most `size`
connections; a connection the server closes is replaced.

Only for the prepared sends of `bot.telegram.session` (no proxy); every other call goes
through aiohttp. What the answer means is left to the caller (aiogram's own checks).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import deque
from urllib.parse import urlsplit

MAX_HEAD = 64 * 1024
"""An answer's status line and headers, at most (a Bot API answer's are a few hundred bytes)."""


class AnswerError(ConnectionError):
    """The connection closed, or the answer was not HTTP/1.1 as expected."""


class NotConnected(ConnectionError):
    """No connection to the Bot API could be made: the request was never written."""


class _Connection(asyncio.Protocol):
    """One kept-alive connection: one request and its answer at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buffer = bytearray()
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None
        self._keep = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(AnswerError("the Bot API closed the connection"))

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        self._buffer.clear()
        self.transport.write(request)
        return self._answer

    def data_received(self, data: bytes) -> None:
        if self._answer is None or self._answer.done():
            self._fail(AnswerError("bytes from the Bot API nobody asked for"))
            self.close()
            return
        self._buffer += data
        try:
            answer = self._complete()
        except AnswerError as error:
            self._fail(error)
            self.close()
            return
        if answer is not None:
            self._answer.set_result(answer)
            if not self._keep:
                self.close()

    def _complete(self) -> tuple[int, bytes] | None:
        """(status, body) once the whole answer is in the buffer, else None."""
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD:
                raise AnswerError("answer headers too long")
            return None
        lines = bytes(self._buffer[:end]).split(b"\r\n")
        status_line = lines[0].split(b" ", 2)
        if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
            raise AnswerError("not an HTTP/1.1 answer")
        try:
            status = int(status_line[1])
        except ValueError:
            raise AnswerError("no status in the answer") from None
        length: int | None = None
        chunked = False
        self._keep = status_line[0] == b"HTTP/1.1"
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip().lower()
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    raise AnswerError("bad Content-Length") from None
            elif name == b"transfer-encoding":
                chunked = value.endswith(b"chunked")
            elif name == b"connection":
                self._keep = value == b"keep-alive" or (self._keep and value != b"close")
        start = end + 4
        if chunked:
            return self._dechunked(status, start)
        if length is None:
            raise AnswerError("an answer without its length")
        if len(self._buffer) < start + length:
            return None
        if len(self._buffer) > start + length:
            raise AnswerError("more bytes than the answer's length")
        return status, bytes(self._buffer[start:])

    def _dechunked(self, status: int, position: int) -> tuple[int, bytes] | None:
        body = bytearray()
        while True:
            line_end = self._buffer.find(b"\r\n", position)
            if line_end < 0:
                return None
            size_text = bytes(self._buffer[position:line_end]).split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise AnswerError("bad chunk size") from None
            position = line_end + 2
            if size == 0:
                trailer_end = self._buffer.find(b"\r\n", position)
                while trailer_end > position:  # skip trailer fields up to the empty line
                    position = trailer_end + 2
                    trailer_end = self._buffer.find(b"\r\n", position)
                return (status, bytes(body)) if trailer_end == position else None
            if len(self._buffer) < position + size + 2:
                return None
            body += self._buffer[position : position + size]
            position += size + 2

    def _fail(self, error: Exception) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class KeepAlivePool:
    """Kept-alive connections to the host of `base_url` (http or https)."""

    def __init__(
        self,
        base_url: str,
        *,
        size: int,
        answer_seconds: float,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """`answer_seconds`: how long a request may take, connecting included."""
        self._answer_seconds = answer_seconds
        parts = urlsplit(base_url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._https else 80)
        default_port = (self._https and self._port == 443) or (not self._https and self._port == 80)
        host_header = self._host if default_port else f"{self._host}:{self._port}"
        self._host_header = host_header.encode("idna")
        self._idle: deque[_Connection] = deque()
        self._slots = asyncio.Semaphore(size)
        self._prefixes: dict[str, bytes] = {}
        self._all: set[_Connection] = set()
        self._ssl = (ssl_context or ssl.create_default_context()) if self._https else None

    def _prefix(self, path: str) -> bytes:
        prefix = self._prefixes.get(path)
        if prefix is None:
            prefix = self._prefixes[path] = b"".join(
                (
                    b"POST ",
                    path.encode("ascii"),
                    b" HTTP/1.1\r\nHost: ",
                    self._host_header,
                    b"\r\nContent-Type: application/json\r\nContent-Length: ",
                )
            )
        return prefix

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """POST a JSON body to `path` (with its query, if any); (status, body) of the answer.
        NotConnected when the request could not be written; AnswerError or TimeoutError when
        it was and no whole answer came (the Bot API may have acted on it)."""
        request = b"".join((self._prefix(path), str(len(body)).encode(), b"\r\n\r\n", body))
        async with self._slots, asyncio.timeout(self._answer_seconds):
            try:
                connection = await self._connection()
            except OSError as error:
                raise NotConnected(f"{type(error).__name__}: {error}") from error
            try:
                answer = await connection.send(request)
            except BaseException:
                connection.close()  # a request cut off leaves the connection unusable
                self._all.discard(connection)
                raise
            if connection.closed:
                self._all.discard(connection)
            else:
                self._idle.append(connection)
            return answer

    async def _connection(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
            self._all.discard(connection)
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(
            _Connection,
            self._host,
            self._port,
            ssl=self._ssl,
            server_hostname=self._host if self._ssl else None,
        )
        self._all.add(connection)
        return connection

    def close(self) -> None:
        for connection in list(self._all):
            with contextlib.suppress(Exception):
                connection.close()
        self._all.clear()
        self._idle.clear()
