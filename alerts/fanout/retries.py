"""When a row that was not sent is tried again, and when the sender gives up on it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from alerts.fanout import ledger
from alerts.models import DeliveryState

MAX_ATTEMPTS = 8
BACKOFF_CAP_SECONDS = 60.0


def retry(
    row: ledger.Claimed,
    reason: str,
    seconds: float,
    *,
    now: datetime,
    gives_up: bool = True,
    in_doubt: bool = False,
) -> ledger.Outcome:
    """Back to the queue until `seconds` after `now`; after MAX_ATTEMPTS failures, failed.

    Waiting because of a rate limit or a lapsed lease is not a failure (`gives_up=False`):
    a busy broadcast must never drop a warning for being busy. `in_doubt`: the failed try
    may have reached the person, so the next one may reach them twice.
    """
    if gives_up and row.attempts >= MAX_ATTEMPTS:
        return ledger.Outcome(
            row.id, DeliveryState.FAILED, error=f"gave up: {reason}", in_doubt=in_doubt
        )
    return ledger.Outcome(
        row.id,
        DeliveryState.QUEUED,
        error=reason,
        retry_at=now + timedelta(seconds=max(seconds, 0.05)),
        in_doubt=in_doubt,
    )


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed try: doubling, jittered, capped."""
    return float(min(BACKOFF_CAP_SECONDS, 2**attempts * (0.5 + random.random())))  # noqa: S311
