"""What SMS channels hear back: delivery receipts update the ledger, replies answer alerts.

A receipt can arrive before the sender has written the message's id to the ledger (a fast
SMS centre answers within milliseconds); such a receipt is tried again a few times.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.acks import Acks, Interpret
from alerts.fanout.receipts import apply_receipt
from core.clock import Clock

RECEIPT_RETRY_SECONDS = (0.2, 1.0, 3.0, 10.0, 30.0, 60.0)
"""A send can take a while (a long text in parts over a link being restored)."""


class SmsInbound:
    """The fan-out's `InboundEvents`."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        interpret: Interpret | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._acks = Acks(clock, interpret)
        self._later: set[asyncio.Task[None]] = set()

    async def receipt(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        if not await self._apply(provider_message_id, delivered, error):
            task = asyncio.create_task(self._retry(provider_message_id, delivered, error))
            self._later.add(task)
            task.add_done_callback(self._later.discard)

    async def _retry(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        for wait in RECEIPT_RETRY_SECONDS:
            await asyncio.sleep(wait)
            if await self._apply(provider_message_id, delivered, error):
                return

    async def _apply(self, provider_message_id: str, delivered: bool, error: str | None) -> bool:
        async with self._sessions() as session, session.begin():
            return await apply_receipt(
                session, provider_message_id, delivered, error, self._clock.now()
            )

    async def reply(self, phone: str, text: str) -> None:
        async with self._sessions() as session, session.begin():
            await self._acks.answer_by_phone(session, phone, text)
