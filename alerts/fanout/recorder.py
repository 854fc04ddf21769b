"""Outcomes of sends written to the ledger together, every few milliseconds."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from alerts.fanout import ledger

RECORD_SECONDS = 0.02
"""Outcomes are written at least this often while a chunk is being sent."""

Results = list[tuple[ledger.Claimed, ledger.Outcome]]


class Recorder:
    """Writes the outcomes of every chunk being sent in one transaction, every few milliseconds.

    Hundreds of small transactions a second would queue for the database; one write for all
    that completed in the last moment keeps the ledger as fresh at a fraction of the cost.
    Everything handed in during one of those moments shares one future: a broadcast has
    thousands of outcomes a second, and one future (and one wake-up) each costs more than
    the write.
    """

    def __init__(self, write: Callable[[Results], Awaitable[None]]) -> None:
        self._write = write
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
                await self._write(taken)
            except Exception as error:
                written.set_exception(error)
            else:
                written.set_result(None)
