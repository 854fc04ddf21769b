"""Per-person flood protection: a sliding window of recent messages."""

from __future__ import annotations

from collections import deque
from enum import StrEnum

from core.clock import Clock


class Verdict(StrEnum):
    """What the flood guard decides for one message: let it through, warn once, or drop it."""

    ALLOW = "allow"
    WARN = "warn"
    """Too fast: say so politely, once per window."""
    DROP = "drop"
    """Still too fast, and already told."""


class FloodGuard:
    """Allows `limit` messages per `window` seconds for each person."""

    def __init__(self, clock: Clock, *, limit: int, window: float) -> None:
        self._clock = clock
        self._limit = limit
        self._window = window
        self._recent: dict[int, deque[float]] = {}
        self._warned_at: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        now = self._clock.monotonic()
        recent = self._recent.setdefault(user_id, deque())
        while recent and now - recent[0] >= self._window:
            recent.popleft()
        if len(recent) < self._limit:
            recent.append(now)
            self._warned_at.pop(user_id, None)
            return Verdict.ALLOW
        warned = self._warned_at.get(user_id)
        if warned is not None and now - warned < self._window:
            return Verdict.DROP
        self._warned_at[user_id] = now
        return Verdict.WARN

    def forget_idle(self) -> None:
        """Drop people with no recent messages, so memory stays bounded."""
        now = self._clock.monotonic()
        idle = [
            u for u, times in self._recent.items() if not times or now - times[-1] >= self._window
        ]
        for user_id in idle:
            del self._recent[user_id]
            self._warned_at.pop(user_id, None)
