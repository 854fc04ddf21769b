"""Login attempts per address in a sliding window, before the account lockout even starts."""

from __future__ import annotations

from collections import deque

from core.clock import Clock


class LoginLimit:
    def __init__(self, clock: Clock, attempts: int = 20, window_seconds: float = 300.0) -> None:
        self._clock = clock
        self._attempts = attempts
        self._window = window_seconds
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str | None) -> bool:
        """Count an attempt from the address; False when it has made too many lately."""
        key = address or "unknown"
        now = self._clock.monotonic()
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= now - self._window:
            seen.popleft()
        if len(seen) >= self._attempts:
            return False
        seen.append(now)
        if len(self._seen) > 10_000:  # forget quiet addresses, so memory stays bounded
            for other in [k for k, v in self._seen.items() if not v or v[-1] <= now - self._window]:
                del self._seen[other]
        return True
