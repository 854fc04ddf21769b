"""Reading a Server-Sent Events stream with aiohttp, as a browser's EventSource would."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass(frozen=True)
class Event:
    name: str
    data: Any
    """The data, decoded from JSON."""
    event_id: str | None
    received: float
    """time.time() when its blank line arrived."""


@dataclass
class EventStream:
    http: aiohttp.ClientSession
    path: str
    response: aiohttp.ClientResponse
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    async def next(self, within: float = 10.0) -> Event:
        """The next event (comments and the retry hint are noted, not returned)."""
        return await asyncio.wait_for(self._next(), within)

    async def until(self, wanted: Any, within: float = 20.0) -> list[Event]:
        """Events up to and including the first whose data satisfies `wanted(data)`."""
        seen: list[Event] = []
        deadline = asyncio.get_running_loop().time() + within
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                last = seen[-1].data if seen else None
                raise AssertionError(f"no such event within {within} s; last: {last}")
            event = await self.next(left)
            seen.append(event)
            if wanted(event.data):
                return seen

    async def _next(self) -> Event:
        name, data, event_id = "message", [], None
        while True:
            raw = await self.response.content.readline()
            if not raw:
                raise EOFError("the stream ended")
            line = raw.decode("utf-8").rstrip("\r\n")
            if not line:
                if data:
                    return Event(name, json.loads("\n".join(data)), event_id, time.time())
                continue
            key, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if key == "":
                self.comments.append(value)
            elif key == "event":
                name = value
            elif key == "data":
                data.append(value)
            elif key == "id":
                event_id = value
            elif key == "retry":
                self.retry = int(value)

    async def close(self) -> None:
        self.response.close()


async def open_stream(http: aiohttp.ClientSession, path: str) -> EventStream:
    # a stream lasts as long as it is followed: no overall time limit (aiohttp's is 5 min)
    unlimited = aiohttp.ClientTimeout(total=None, sock_read=None)
    response = await http.get(path, headers={"Accept": "text/event-stream"}, timeout=unlimited)
    assert response.status == 200, f"{path}: {response.status} {await response.text()}"
    return EventStream(http, path, response)
