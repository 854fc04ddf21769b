"""Delivery receipts applied to the ledger, part by part for an SMS sent in several parts.

The SMSC's id of every part is stored with its delivery (`DeliveryPart`) in the same
transaction that records the send, so a part's receipt finds its message in any process, on
any bind, after any restart. A delivery is delivered when all its parts are, and failed at
the first part that fails. A receipt for an id that is no part is a whole message's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout.ledger import mark_delivered
from alerts.models import Channel, Delivery, DeliveryPart, DeliveryState, PartState

SMS_CHANNELS = tuple(
    channel.value
    for channel in (Channel.SMS, Channel.CONTACT_SMS, Channel.SMS_ACK, Channel.SMS_TALK)
)


async def store_parts(session: AsyncSession, parts: Sequence[tuple[int, Sequence[str]]]) -> None:
    """The part ids of sent deliveries; those of an earlier attempt are dropped."""
    if not parts:
        return
    await session.execute(
        delete(DeliveryPart).where(DeliveryPart.delivery_id.in_([id_ for id_, _ in parts]))
    )
    await session.execute(
        insert(DeliveryPart),
        [
            {
                "delivery_id": delivery_id,
                "message_id": message_id,
                "part": index,
                "state": PartState.SENT.value,
            }
            for delivery_id, ids in parts
            for index, message_id in enumerate(ids)
        ],
    )


async def apply_receipt(
    session: AsyncSession, message_id: str, delivered: bool, error: str | None, now: datetime
) -> bool:
    """Apply one receipt; False when nothing is known of the id yet (try again later)."""
    part = await session.scalar(
        select(DeliveryPart)
        .join(Delivery, Delivery.id == DeliveryPart.delivery_id)
        .where(DeliveryPart.message_id == message_id, Delivery.channel.in_(SMS_CHANNELS))
        .order_by(DeliveryPart.id.desc())
        .limit(1)
    )
    if part is None:
        for channel in SMS_CHANNELS:
            matched = await mark_delivered(
                session,
                channel=channel,
                provider_message_id=message_id,
                delivered=delivered,
                error=error,
                now=now,
            )
            if matched:
                return True
        return False
    if part.state == PartState.SENT:
        part.state = PartState.DELIVERED if delivered else PartState.FAILED
        part.error = None if delivered else (error or "not delivered")[:200]
        await session.flush()
    await _settle(session, part.delivery_id, now)
    return True


async def _settle(session: AsyncSession, delivery_id: int, now: datetime) -> None:
    """Delivered once every part is; failed at the first failed part."""
    rows = await session.execute(
        select(DeliveryPart.state, func.count(), func.max(DeliveryPart.error))
        .where(DeliveryPart.delivery_id == delivery_id)
        .group_by(DeliveryPart.state)
    )
    counts: dict[str, tuple[int, str | None]] = {state: (n, err) for state, n, err in rows}
    values: dict[str, Any]
    if PartState.FAILED in counts:
        error = counts[PartState.FAILED][1] or "not delivered"
        values = {"state": DeliveryState.FAILED, "finished_at": now, "last_error": error}
    elif PartState.SENT not in counts and PartState.DELIVERED in counts:
        values = {"state": DeliveryState.DELIVERED, "delivered_at": now}
    else:
        return
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.state == DeliveryState.SENT)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
