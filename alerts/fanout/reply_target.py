"""Which alerts an SMS reply answers: what that phone was sent, not what was planned last.

A person may have several alerts open (received recently, no clear answer yet), and an
alert resent after an outage can reach the phone after a newer one was planned. A reply
answers the open alerts whose SMS reached that phone (sent or delivered), every one of them
when there are several, the latest sent last; when none reached it by SMS (the alert came by
Telegram), it answers every open alert of the person.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Alert, AlertRecipient, Answer, Channel, Delivery, DeliveryState

_REACHED = (DeliveryState.SENT.value, DeliveryState.DELIVERED.value)


async def alerts_a_reply_answers(
    session: AsyncSession,
    registrant_id: int,
    *,
    now: datetime,
    window: timedelta,
    answer: Answer | None = None,
) -> list[int]:
    """Alert ids, oldest reached first and the one that reached the phone last at the end.

    A call for help (`answer` HELP) also answers alerts the person said earlier they were safe
    from: the danger may have come since, and "safe" must not stand over it.
    """
    unanswered = [AlertRecipient.answer.is_(None), AlertRecipient.answer == Answer.UNCLEAR.value]
    if answer is Answer.HELP:
        unanswered.append(AlertRecipient.answer == Answer.SAFE.value)
    open_alerts = (
        select(AlertRecipient.alert_id)
        .join(Alert, Alert.id == AlertRecipient.alert_id)
        .where(
            AlertRecipient.registrant_id == registrant_id,
            AlertRecipient.created_at >= now - window,
            or_(*unanswered),
            Alert.msg_type != "Cancel",
        )
    )
    candidates = list(await session.scalars(open_alerts))
    if not candidates:
        return []
    reached = await session.execute(
        select(Delivery.alert_id, func.max(func.coalesce(Delivery.sent_at, Delivery.queued_at)))
        .where(
            and_(
                Delivery.registrant_id == registrant_id,
                Delivery.alert_id.in_(candidates),
                Delivery.channel == Channel.SMS.value,
                Delivery.state.in_(_REACHED),
            )
        )
        .group_by(Delivery.alert_id)
    )
    by_phone = sorted(reached.all(), key=lambda row: (row[1], row[0]))
    if by_phone:
        return [row[0] for row in by_phone]
    return sorted(candidates)
