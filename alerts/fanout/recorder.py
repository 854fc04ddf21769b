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
    """

    def __init__(self, write: Callable[[Results], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[tuple[Results, asyncio.Future[None]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def put(self, results: Results) -> None:
        """Return once these outcomes are in the ledger."""
        written = asyncio.get_running_loop().create_future()
        self._waiting.append((results, written))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        await written

    async def _flush(self) -> None:
        while self._waiting:
            await asyncio.sleep(RECORD_SECONDS)
            taken, self._waiting = self._waiting, []
            try:
                await self._write([result for results, _ in taken for result in results])
            except Exception as error:
                for _, written in taken:
                    written.set_exception(error)
            else:
                for _, written in taken:
                    written.set_result(None)
