"""The Server-Sent Events wire format: events, comments and the reconnection hint."""

from __future__ import annotations

import json
from typing import Any

MEDIA_TYPE = "text/event-stream"
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # a reverse proxy must pass events on as they come
}


def retry(milliseconds: int) -> str:
    """How long a browser waits before reconnecting after the stream ends."""
    return f"retry: {milliseconds}\n\n"


def event(name: str, data: Any, *, event_id: int | None = None) -> str:
    """One event whose data is JSON (one line, so no `data:` continuation is needed)."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"event: {name}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


def comment(text: str) -> str:
    """A line the browser ignores: keeps proxies and idle timeouts from closing the stream."""
    return f": {text}\n\n"
