"""Outcomes of sends written to the ledger together, every few milliseconds."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from alerts.fanout import ledger
from core.clock import Clock

log = logging.getLogger(__name__)

RECORD_SECONDS = 0.02
"""Outcomes are written at least this often while a chunk is being sent."""
WRITE_TRIES = 3
"""A write that fails (a deadlock, a dropped connection) is tried again this many times in
all: the messages went out, and a row left "sending" would be sent again, in doubt."""

Results = list[tuple[ledger.Claimed, ledger.Outcome]]


class Recorder:
    """Writes the outcomes of every chunk being sent in one transaction, every few milliseconds.

    Hundreds of small transactions a second would queue for the database; one write for all
    that completed in the last moment keeps the ledger as fresh at a fraction of the cost.
    Everything handed in during one of those moments shares one future: a broadcast has
    thousands of outcomes a second, and one future (and one wake-up) each costs more than
    the write.
    """

    def __init__(self, write: Callable[[Results], Awaitable[None]], clock: Clock) -> None:
        """`clock`: what a failed write waits on before it is tried again."""
        self._write = write
        self._clock = clock
        self._waiting: Results = []
        self._written: asyncio.Future[None] | None = None
        self._flushing: asyncio.Task[None] | None = None

    def put(self, results: Results) -> asyncio.Future[None]:
        """Queue outcomes for the next write; the future is done once they are in the ledger
        (or holds the write's error)."""
        self._waiting.extend(results)
        if self._written is None:
            self._written = asyncio.get_running_loop().create_future()
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return self._written

    async def _flush(self) -> None:
        while self._written is not None:
            await asyncio.sleep(RECORD_SECONDS)
            taken, self._waiting = self._waiting, []
            written, self._written = self._written, None
            try:
                await self._write_tried(taken)
            except Exception as error:
                written.set_exception(error)
            else:
                written.set_result(None)

    async def _write_tried(self, results: Results) -> None:
        for tried in range(1, WRITE_TRIES + 1):
            try:
                await self._write(results)
                return
            except Exception as error:
                if tried == WRITE_TRIES:
                    raise
                log.warning("writing outcomes failed, trying again: %s", type(error).__name__)
                await self._clock.sleep(RECORD_SECONDS * 5**tried)
