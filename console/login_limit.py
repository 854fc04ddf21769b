"""Sign-in attempts throttled with exponential back-off, per address and per account there.

A stranger's wrong passwords slow down the stranger, not the account's owner at their desk:
after `free` failures for one user name from one address, each further attempt from that
address waits 1 s, 2 s, 4 s … up to `cap_seconds`; any address waits the same way after
`address_free` failures over all names. The same applies to names that do not exist, so
the answer never tells whether an account does. (The account itself also backs off after
many failures from many addresses: `core.staff.sessions.LoginPolicy`.)
"""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock

_FORGET_AFTER = 3600.0
"""A key without a failure for this long is forgotten (memory stays bounded)."""


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


class LoginLimit:
    """Slows down repeated failed logins per account and per address."""

    def __init__(
        self,
        clock: Clock,
        *,
        free: int = 5,
        address_free: int = 20,
        base_seconds: float = 1.0,
        cap_seconds: float = 900.0,
    ) -> None:
        self._clock = clock
        self._free = free
        self._address_free = address_free
        self._base = base_seconds
        self._cap = cap_seconds
        self._failures: dict[tuple[str, ...], _Failures] = {}

    def wait(self, username: str, address: str | None) -> float:
        """Seconds before `address` may try `username` again; 0 when it may now."""
        now = self._clock.monotonic()
        return max(
            self._wait(self._pair(username, address), self._free, now),
            self._wait(self._address(address), self._address_free, now),
        )

    def failed(self, username: str, address: str | None) -> None:
        now = self._clock.monotonic()
        for key in (self._pair(username, address), self._address(address)):
            found = self._failures.setdefault(key, _Failures())
            found.count += 1
            found.last = now
        if len(self._failures) > 10_000:
            for key in [k for k, v in self._failures.items() if now - v.last > _FORGET_AFTER]:
                del self._failures[key]

    def succeeded(self, username: str, address: str | None) -> None:
        """A right password from this address clears its failures for the name."""
        self._failures.pop(self._pair(username, address), None)

    def _wait(self, key: tuple[str, ...], free: int, now: float) -> float:
        found = self._failures.get(key)
        if found is None or found.count < free:
            return 0.0
        backoff: float = min(self._cap, self._base * 2.0 ** min(found.count - free, 30))
        return max(0.0, found.last + backoff - now)

    @staticmethod
    def _pair(username: str, address: str | None) -> tuple[str, ...]:
        return ("pair", username.strip().casefold(), address or "unknown")

    @staticmethod
    def _address(address: str | None) -> tuple[str, ...]:
        return ("address", address or "unknown")
