"""A chunk's lease on its rows, as this process sees it: kept alive while the chunk is sent.

The ledger gives a worker the rows it claims until `lease_until`; another worker may take
them after that. The sender renews the lease while it works and, by its own clock, stops
handing rows to a channel a little before the lease could have run out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.fanout import ledger
from core.clock import Clock

log = logging.getLogger(__name__)

LEASE_MARGIN_SECONDS = 1.0
"""A row is no longer sent this long before its lease could lapse."""


class Lease:
    """How long, by this process's clock, the rows of a chunk are surely still ours."""

    def __init__(self, clock: Clock, duration: timedelta) -> None:
        self._clock = clock
        self._duration = duration
        self.valid_until = clock.monotonic() + duration.total_seconds()
        self._gone: set[int] = set()
        """Rows a renewal found no longer ours (taken over by another worker)."""

    def holds(self, row: int) -> bool:
        """Whether `row` may still be sent: ours, and the lease not about to lapse."""
        if row in self._gone:
            return False
        return self._clock.monotonic() < self.valid_until - LEASE_MARGIN_SECONDS

    async def keep(
        self, sessions: async_sessionmaker[AsyncSession], ids: Sequence[int], *, worker: str
    ) -> None:
        """Renew the lease on `ids` until cancelled, while the chunk waits on limits or slow
        answers, so that other workers keep off its rows."""
        seconds = self._duration.total_seconds()
        pause = seconds / 3
        while True:
            await self._clock.sleep(pause)
            asked = self._clock.monotonic()
            try:
                async with sessions() as session, session.begin():
                    now = self._clock.now()
                    held = await ledger.renew(
                        session, ids, worker=worker, now=now, lease=self._duration
                    )
            except Exception as error:  # a busy or lost database: try again soon, never give up
                log.warning("lease renewal failed: %s", type(error).__name__)
                pause = seconds / 10
                continue
            # Renewed rows are ours for another lease; the rest are not (recorded, or taken).
            self._gone.update(row for row in ids if row not in held)
            self.valid_until = asked + seconds
            pause = seconds / 3
