"""Following up severe alerts nobody answered.

Steps, each a set time after the alert first left for the person on any channel, not after
it was planned (KOMEK_ALERT_ESCALATION_MINUTES): 1) the
message again on Telegram (by SMS if Telegram cannot reach them), 2) by SMS, 3) an SMS to
their contact person, 4) the person is listed for the dispatcher as "no answer". An answer
("I'm safe", "I need help") at any point stops it. A step a person has no way for (no phone,
no contact) is passed over to the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout.ledger import insert_new
from alerts.models import AlertRecipient, Answer, Channel, Delivery, DeliveryState, Registrant

NO_ANSWER_STEP = 4

_FIRST_PENDING = exists().where(
    Delivery.alert_id == AlertRecipient.alert_id,
    Delivery.registrant_id == AlertRecipient.registrant_id,
    Delivery.step == 0,
    Delivery.state.in_([DeliveryState.QUEUED.value, DeliveryState.SENDING.value]),
)
"""The first message is still on its way (an SMSC outage): nothing to follow up yet."""


def _channel_for_step(step: int, registrant: Registrant) -> Channel | None:
    telegram = (
        registrant.telegram_chat_id is not None and registrant.telegram_unreachable_at is None
    )
    if step == 1:
        if telegram:
            return Channel.TELEGRAM
        return Channel.SMS if registrant.phone else None
    if step == 2:
        return Channel.SMS if registrant.phone and telegram else None
    if step == 3:
        return Channel.CONTACT_SMS if registrant.contact_phone else None
    return None


async def escalate_due(
    session: AsyncSession,
    *,
    now: datetime,
    steps: Sequence[timedelta],
    batch: int,
    limit: int = 1000,
) -> list[tuple[int, int]]:
    """Take the next step for every unanswered recipient that is due.

    New deliveries go into `batch` (one per call, e.g. a negative timestamp) and the
    (alert, batch) pairs to hand to the workers are returned.
    """
    rows = (
        await session.execute(
            select(AlertRecipient, Registrant)
            .join(Registrant, Registrant.id == AlertRecipient.registrant_id)
            .where(
                and_(
                    AlertRecipient.next_step_at.is_not(None),
                    AlertRecipient.next_step_at <= now,
                    or_(
                        AlertRecipient.answer.is_(None),
                        AlertRecipient.answer == Answer.UNCLEAR.value,
                    ),
                    # Steps count from the first successful send; a person never reached
                    # (every channel failed) is followed up from the plan, not forgotten.
                    or_(AlertRecipient.first_sent_at.is_not(None), ~_FIRST_PENDING),
                )
            )
            .order_by(AlertRecipient.next_step_at)
            .limit(limit)
        )
    ).all()
    deliveries = []
    alerts: set[int] = set()
    for recipient, registrant in rows:
        step = recipient.escalation_step + 1
        channel = _channel_for_step(step, registrant)
        while channel is None and step < NO_ANSWER_STEP:
            step += 1
            channel = _channel_for_step(step, registrant)
        recipient.escalation_step = step
        if step >= NO_ANSWER_STEP or not registrant.active:
            recipient.next_step_at = None
            continue
        started = recipient.first_sent_at or recipient.created_at
        later = [started + offset for offset in steps[step:]]
        recipient.next_step_at = later[0] if later else None
        if recipient.next_step_at is None:
            # No time set for the last step: list them as "no answer" right after this one.
            recipient.next_step_at = now
        assert channel is not None
        deliveries.append(
            {
                "alert_id": recipient.alert_id,
                "registrant_id": registrant.id,
                "channel": channel.value,
                "step": step,
                "batch": batch,
                "state": DeliveryState.QUEUED.value,
                "attempts": 0,
                "in_doubt": False,
                "queued_at": now,
            }
        )
        alerts.add(recipient.alert_id)
    if deliveries:
        await session.execute(insert_new(session, Delivery), deliveries)
    await session.flush()
    return [(alert_id, batch) for alert_id in sorted(alerts)]
