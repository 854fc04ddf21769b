"""`InboundEvents` for tests: records receipts and replies and lets a test wait for them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class RecordingEvents:
    def __init__(self) -> None:
        self.receipts: list[tuple[str, bool, str | None]] = []
        self.replies: list[tuple[str, str]] = []
        self._changed = asyncio.Condition()

    async def receipt(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        self.receipts.append((provider_message_id, delivered, error))
        async with self._changed:
            self._changed.notify_all()

    async def reply(self, phone: str, text: str) -> None:
        self.replies.append((phone, text))
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(condition)
