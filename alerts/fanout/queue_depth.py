"""How many alert deliveries are waiting, by channel: the `komek_alert_queue_depth` gauge.

Read from the ledger (the source of truth) when metrics are scraped, so every process that
reports it gives the same number. Only alerts approved in the last WINDOW are looked at: the
index on (alert, batch, state) keeps that cheap however long the ledger grows, and older
alerts have expired or been answered long since.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.models import Alert, Channel, Delivery, DeliveryState
from core.metrics import ALERT_QUEUE_DEPTH

WINDOW = timedelta(days=2)
WAITING = (DeliveryState.QUEUED.value, DeliveryState.SENDING.value)


async def waiting_by_channel(session: AsyncSession, now: datetime) -> dict[str, int]:
    """Deliveries queued or being sent, by channel (every channel listed, zero included)."""
    rows = await session.execute(
        select(Delivery.channel, func.count())
        .join(Alert, Alert.id == Delivery.alert_id)
        .where(Alert.approved_at >= now - WINDOW, Delivery.state.in_(WAITING))
        .group_by(Delivery.channel)
    )
    depth = {channel.value: 0 for channel in Channel}
    for channel, count in rows:
        depth[channel] = int(count)
    return depth


async def refresh_queue_depth(
    sessions: async_sessionmaker[AsyncSession], now: datetime
) -> dict[str, int]:
    """Set the gauge from the ledger; returns what it set."""
    async with sessions() as session:
        depth = await waiting_by_channel(session, now)
    for channel, count in depth.items():
        ALERT_QUEUE_DEPTH.labels(channel=channel).set(count)
    return depth
