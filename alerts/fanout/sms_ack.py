"""A short SMS back to somebody who answered an alert by SMS (issue 20, finding 6).

"2" gets "Help is being arranged…", "1" a short thanks, and words that say neither ask again
how to answer. The acknowledgement is one more row of the delivery ledger (channel
`sms_ack`), so it goes out like the alert did: claimed by a worker, paced by the SMS
channel's own limits, retried, and moved to "delivered" by the SMS centre's receipt.

One row per alert, person and kind of answer (the ledger's unique key, the kind in `step`):
a phone that answers every SMS automatically cannot start an endless exchange, and a reply
that answers several open alerts gets one SMS back, for the alert that reached it last.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout.ledger import insert_new
from alerts.models import Answer, Channel, Delivery, DeliveryState

ACK_STEPS = {Answer.SAFE: 1, Answer.HELP: 2, Answer.UNCLEAR: 3}
"""The ledger's `step` of an acknowledgement says which answer it acknowledges."""
ACK_KEYS = {1: "sms_ack.safe", 2: "sms_ack.help", 3: "sms_ack.unclear"}
"""Catalog key of the text, by step."""


def ack_batch(now: datetime) -> int:
    """The ledger batch an acknowledgement queued now goes in (negative, like escalations)."""
    return -int(now.timestamp())


async def queue_ack(
    session: AsyncSession, *, alert_id: int, registrant_id: int, answer: Answer, now: datetime
) -> tuple[int, int] | None:
    """Queue the SMS back; the (alert, batch) to hand to a worker, or None when this kind of
    answer to this alert was acknowledged already."""
    return await queue_sms(
        session,
        alert_id=alert_id,
        registrant_id=registrant_id,
        channel=Channel.SMS_ACK,
        step=ACK_STEPS[answer],
        now=now,
    )


async def queue_sms(
    session: AsyncSession,
    *,
    alert_id: int,
    registrant_id: int,
    channel: Channel,
    step: int,
    now: datetime,
) -> tuple[int, int] | None:
    """One SMS outside the alert's own plan as a ledger row, sent by a worker like the alert;
    the (alert, batch) to hand to a worker, or None when that row exists already."""
    batch = ack_batch(now)
    result = await session.execute(
        insert_new(session, Delivery),
        {
            "alert_id": alert_id,
            "registrant_id": registrant_id,
            "channel": channel.value,
            "step": step,
            "batch": batch,
            "state": DeliveryState.QUEUED.value,
            "attempts": 0,
            "in_doubt": False,
            "queued_at": now,
        },
    )
    if not getattr(result, "rowcount", 0):
        return None
    return alert_id, batch
