"""Approved alerts whose planning never got going, handed to the workers again.

The plan task can be lost with Redis's memory, or the process stopped between approving an
alert and handing it out. The database holds all that is needed to start again, so Redis
holds nothing that must be kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy import exists, select

from alerts.fanout.engine import Fanout
from alerts.models import Alert, AlertState, Delivery
from core.clock import Clock
from core.database import SessionFactory

log = structlog.get_logger(__name__)

PLAN_AGAIN_AFTER = timedelta(minutes=10)
"""An alert handed out again is not handed out again before this (its plan may be queued)."""
PLAN_GIVE_UP = timedelta(days=1)
"""Alerts approved longer ago than this are not planned again."""


class PlanRecovery:
    """Finds approved alerts with no planning seen for `stale`, and starts them again."""

    def __init__(
        self, sessions: SessionFactory, clock: Clock, fanout: Fanout, *, stale: timedelta
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._fanout = fanout
        self._stale = stale
        self._planned_again: dict[int, datetime] = {}

    async def plan_again(self) -> list[int]:
        """Approved alerts with no planning seen for a while, handed to the workers again."""
        now = self._clock.now()
        quiet_since = now - self._stale
        recent_rows = exists().where(
            Delivery.alert_id == Alert.id, Delivery.queued_at >= quiet_since
        )
        async with self._sessions() as session:
            stuck = list(
                await session.scalars(
                    select(Alert.id).where(
                        Alert.state == AlertState.SENDING,
                        Alert.planned_at.is_(None),
                        Alert.approved_at < quiet_since,
                        Alert.approved_at >= now - PLAN_GIVE_UP,
                        ~recent_rows,
                    )
                )
            )
        again = [
            alert_id
            for alert_id in stuck
            if now - self._planned_again.get(alert_id, now - PLAN_AGAIN_AFTER) >= PLAN_AGAIN_AFTER
        ]
        for alert_id in again:
            await self._fanout.start(alert_id)
            self._planned_again[alert_id] = now
            log.warning("scheduler.alert_planned_again", alert=alert_id)
        return again
