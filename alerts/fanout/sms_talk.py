"""A dispatcher's conversation by SMS with somebody on the list who does not use the bot and
asked for help by SMS (issue 21).

Each message the dispatcher writes is one ledger row (channel `sms_talk`, its `step` the
thread message's id), so it goes out like the alert did: claimed by a worker, paced by the SMS
channel, retried, and moved to "delivered" by the SMS centre's receipt. The words stay in the
request's thread (encrypted), never in the ledger. When the conversation ends, one more row
(a negative step, once per request) tells the person it is over. Their SMS replies reach the
thread while the conversation lasts (`alerts.acks`); "STOP" ends it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout.sms_ack import queue_sms
from alerts.models import Channel
from core.models import HandoverRequest

WORDS_KEY = "sms_talk.words"
"""Catalog key of a dispatcher's message: who writes, the words, and how to answer or stop."""
ENDED_KEY = "sms_talk.ended"
"""Catalog key of the notice that the conversation is over."""

Queued = tuple[tuple[int, int], ...]
"""Ledger batches (alert, batch) to hand to a worker once the transaction is committed."""


def by_sms(request: HandoverRequest) -> tuple[int, int] | None:
    """(alert, registrant) when the request came by SMS from somebody on the list who does not
    use the bot: a conversation with them goes by SMS, under the alert they answered."""
    if request.person_id is not None or request.alert_id is None:
        return None
    if request.registrant_id is None:
        return None
    return request.alert_id, request.registrant_id


async def queue_words(
    session: AsyncSession, request: HandoverRequest, message_id: int, now: datetime
) -> Queued:
    """The dispatcher's message `message_id` of the thread, to go out by SMS."""
    return await _queue(session, request, step=message_id, now=now)


async def queue_ended(session: AsyncSession, request: HandoverRequest, now: datetime) -> Queued:
    """Tell the person by SMS that the conversation is over (once per request)."""
    return await _queue(session, request, step=-request.id, now=now)


async def _queue(
    session: AsyncSession, request: HandoverRequest, *, step: int, now: datetime
) -> Queued:
    found = by_sms(request)
    if found is None:
        return ()
    alert_id, registrant_id = found
    queued = await queue_sms(
        session,
        alert_id=alert_id,
        registrant_id=registrant_id,
        channel=Channel.SMS_TALK,
        step=step,
        now=now,
    )
    return () if queued is None else (queued,)
