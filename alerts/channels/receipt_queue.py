"""Delivery receipts applied in the order they came, off the SMS centre's read loop.

aiosmpplib calls the channel's hook before it reads the next PDU, and answers a deliver_sm
only once the hook returns. Applying a receipt is a database write; done in the hook, each
one held up every submit_sm_resp behind it, and during a broadcast SMS waited seconds for
answers that had already arrived (long enough that a stopping worker gave up on them).
Receipts are queued here and applied by one task; the SMSC hears we have one once it is
queued. A receipt lost in a crash leaves a message "sent" instead of "delivered"; replies
from phones ("1", "2") do not come this way: they are stored before the SMSC is answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from alerts.channels.sms_receipt import Receipt

log = logging.getLogger(__name__)


class ReceiptQueue:
    """Delivery receipts applied in order by one task, off the SMPP read loop."""

    def __init__(self, apply: Callable[[Receipt], Awaitable[None]]) -> None:
        self._apply = apply
        self._queue: asyncio.Queue[Receipt] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None

    def put(self, receipt: Receipt) -> None:
        self._queue.put_nowait(receipt)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(), name="sms-receipts")

    @property
    def waiting(self) -> int:
        return self._queue.qsize()

    async def _run(self) -> None:
        while True:
            receipt = await self._queue.get()
            try:
                await self._apply(receipt)
            except Exception as error:  # one bad receipt must not stop the others
                log.error("applying an SMS receipt failed: %s", type(error).__name__)
            finally:
                self._queue.task_done()

    async def close(self, seconds: float) -> None:
        """Apply what is queued, for up to `seconds`, then stop."""
        if self._worker is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), seconds)
        self._worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker
        self._worker = None
