"""Requests to the console's ASGI app in-process, counting how much of the body it reads.

A body is offered in chunks; `Answer.read` says how many bytes the app asked for. Fast
enough to run thousands of cases, and it shows exactly when a body is (not) read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    read: int = 0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


async def call(
    app: ASGIApp,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    chunks: Iterable[bytes] = (),
    query: str = "",
    client: tuple[str, int] = ("127.0.0.1", 50000),
) -> Answer:
    answer = Answer()
    pending: Iterator[bytes] = iter(chunks)
    nxt: list[bytes | None] = [next(pending, None)]

    async def receive() -> Message:
        chunk = nxt[0]
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        nxt[0] = next(pending, None)
        answer.read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": nxt[0] is not None}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": client,
        "server": ("127.0.0.1", 8090),
    }
    await app(scope, receive, send)
    return answer
