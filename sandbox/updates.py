"""The bot's update queue: monotonically numbered updates, confirmed by offset or delivery."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from itertools import islice
from typing import Any

from sandbox.errors import BotApiError

TERMINATED = (
    "Conflict: terminated by other getUpdates request;"
    " make sure that only one bot instance is running"
)


def update_chat_id(update: dict[str, Any]) -> int | None:
    """Return the chat an update belongs to."""
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return None


class UpdateQueue:
    """Updates waiting for the bot, in update_id order, with long-poll wake-ups."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._updates: dict[int, dict[str, Any]] = {}
        self._next_id = first_update_id
        self._signal = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []
        self._poll_generation = 0
        self._waiting = 0
        self.closed = False

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever an update is queued."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        """Stop calling `listener`."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update and wake whoever waits for one."""
        update = {"update_id": self._next_id, kind: payload}
        self._updates[self._next_id] = update
        self._next_id += 1
        self._wake_all()
        for listener in list(self._listeners):
            listener()
        return update

    def pending(self) -> list[dict[str, Any]]:
        """Return the queued updates in order."""
        return list(self._updates.values())

    def __len__(self) -> int:
        """Return how many updates wait for the bot."""
        return len(self._updates)

    @property
    def polls_waiting(self) -> int:
        """How many getUpdates calls are waiting for an update right now."""
        return self._waiting

    def confirm(self, offset: int) -> None:
        """Forget updates before `offset`; a negative offset keeps only the last -offset."""
        if offset < 0:
            for update_id in list(self._updates)[:offset]:
                del self._updates[update_id]
            return
        while self._updates:
            first = next(iter(self._updates))
            if first >= offset:
                return
            del self._updates[first]

    def forget(self, update_id: int) -> None:
        """Forget one update (delivered by webhook)."""
        self._updates.pop(update_id, None)

    def clear(self) -> None:
        """Forget every queued update."""
        self._updates.clear()

    async def take(self, offset: int | None, limit: int, wait: float) -> list[dict[str, Any]]:
        """Confirm updates before `offset`, then return up to `limit`, long-polling if none.

        A newer call ends a waiting older one with 409, as Telegram does for two bot instances.
        """
        if offset:
            self.confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        if self._waiting:
            self._wake_all()
        if not self._updates and wait > 0 and not self.closed:
            self._waiting += 1
            try:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._signal.wait()
            finally:
                self._waiting -= 1
            if generation != self._poll_generation and not self.closed:
                raise BotApiError(409, TERMINATED)
        return list(islice(self._updates.values(), limit))

    def _wake_all(self) -> None:
        self._signal.set()
        self._signal = asyncio.Event()

    def close(self) -> None:
        """Wake every long-poll for good."""
        self.closed = True
        self._signal.set()
