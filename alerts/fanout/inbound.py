"""What SMS channels hear back: delivery receipts update the ledger, replies answer alerts.

A reply that answers an alert gets a short SMS back (`alerts.fanout.sms_ack`), queued in the
same transaction as the answer and handed to the workers once it is stored (`send_with`); a
process with no workers leaves it to the fan-out's sweep.

A receipt can arrive before the sender has written the message's id to the ledger (a fast
SMS centre answers within milliseconds); such a receipt is tried again a few times.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.acks import Acks, Interpret
from alerts.fanout import sms_talk
from alerts.fanout.receipts import apply_receipt
from alerts.fanout.sms_ack import queue_ack
from core.clock import Clock

Dispatch = Callable[[int, int], Awaitable[None]]
"""Hand the batch (alert, batch) of the ledger to a worker."""

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
        self._dispatch: Dispatch | None = None

    @property
    def retrying(self) -> int:
        """Receipts that matched no sent message yet, waiting on the clock to be tried again."""
        return len(self._later)

    def send_with(self, dispatch: Dispatch) -> None:
        """Acknowledgements are handed to the workers by `dispatch` (the fan-out's)."""
        self._dispatch = dispatch

    async def receipt(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        """Apply an SMS delivery receipt; one that came before its send was written is tried
        again on the clock."""
        if not await self._apply(provider_message_id, delivered, error):
            task = asyncio.create_task(self._retry(provider_message_id, delivered, error))
            self._later.add(task)
            task.add_done_callback(self._later.discard)

    async def _retry(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        for wait in RECEIPT_RETRY_SECONDS:
            await self._clock.sleep(wait)
            if await self._apply(provider_message_id, delivered, error):
                return

    async def _apply(self, provider_message_id: str, delivered: bool, error: str | None) -> bool:
        async with self._sessions() as session, session.begin():
            return await apply_receipt(
                session, provider_message_id, delivered, error, self._clock.now()
            )

    async def reply(self, phone: str, text: str) -> None:
        """An SMS from a phone: an answer to alerts, or STOP to a dispatcher's conversation;
        the acknowledgements it calls for are handed to the workers."""
        queued: list[tuple[int, int]] = []
        async with self._sessions() as session, session.begin():
            ended = await self._acks.stop_talking_by_phone(session, phone, text)
            if ended is not None:  # "STOP" to a dispatcher's conversation by SMS
                queued.extend(await sms_talk.queue_ended(session, ended, self._clock.now()))
            else:
                queued.extend(await self._answer(session, phone, text))
        if self._dispatch is not None:
            for alert_id, batch in queued:
                await self._dispatch(alert_id, batch)

    async def _answer(self, session: AsyncSession, phone: str, text: str) -> list[tuple[int, int]]:
        """The reply answers alerts (or joins a conversation); the acknowledgement to send."""
        answered = await self._acks.answer_by_phone(session, phone, text)
        if answered is None or answered.recipient.registrant_id is None:
            return []
        queued = await queue_ack(
            session,
            alert_id=answered.recipient.alert_id,
            registrant_id=answered.recipient.registrant_id,
            answer=answered.answer,
            now=self._clock.now(),
        )
        return [] if queued is None else [queued]
