"""How the sandbox's Bot API behaves as a network peer: round-trip time and a global send rate.

By default it answers at once and without limit, which measures our own capacity. Set like
Telegram seen from Kazakhstan (80 ms round trip, 1,000 messages a second with paid
broadcasts), it shows how close a broadcast comes to the allowed rate.
"""

from __future__ import annotations

import time
from bisect import insort
from collections import deque
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import too_many_requests

ARRIVED: ContextVar[float | None] = ContextVar("arrived", default=None)
"""When the call being answered reached the sandbox (monotonic seconds), set per request.

Telegram counts a message against the rate when it arrives. The sandbox answers after the
simulated round trip, and under load the moment its timers fire drifts by tens of
milliseconds; counting at arrival keeps that drift of the simulation out of the limit.
"""


LOSE_ANSWER: ContextVar[bool] = ContextVar("lose_answer", default=False)
"""Set while answering a call whose answer is to be lost (the chat's `lost_answers` fault)."""


@dataclass
class Network:
    """How the sandbox Bot API behaves like Telegram's network: round trip, send rate, 429s."""

    latency_seconds: float = 0.0
    """Added before every Bot API answer: the round trip to Telegram's servers."""
    send_rate: int = 0
    """Sending calls allowed per second across all chats; 0 means no limit."""
    refused: int = 0
    """Sending calls answered with 429 because of `send_rate`."""
    admitted: int = 0
    first_admitted_at: float | None = None
    """Wall-clock time (Unix seconds) of the first sending call admitted since configured."""
    last_admitted_at: float | None = None
    _recent: deque[float] = field(default_factory=deque)

    def admit(self) -> None:
        """Count one sending call, or raise 429 when the last second already had `send_rate`."""
        if self.send_rate > 0:
            self._limit()
        self.admitted += 1
        self.last_admitted_at = time.time()
        if self.first_admitted_at is None:
            self.first_admitted_at = self.last_admitted_at

    def _limit(self) -> None:
        now = ARRIVED.get() or time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.send_rate:
            self.refused += 1
            raise too_many_requests(1)
        insort(self._recent, now)  # calls overtake each other by a little on the way in

    def configure(self, *, latency_ms: float | None = None, send_rate: int | None = None) -> None:
        if latency_ms is not None:
            self.latency_seconds = max(0.0, latency_ms / 1000)
        if send_rate is not None:
            self.send_rate = max(0, send_rate)
        self.refused = self.admitted = 0
        self.first_admitted_at = self.last_admitted_at = None
        self._recent.clear()

    def as_json(self) -> dict[str, Any]:
        return {
            "latency_ms": round(self.latency_seconds * 1000, 1),
            "send_rate": self.send_rate,
            "refused": self.refused,
            "admitted": self.admitted,
            "first_admitted_at": self.first_admitted_at,
            "last_admitted_at": self.last_admitted_at,
        }
