"""The outcomes of sends written to the ledger, with what follows from them.

A person Telegram cannot reach is marked so and gets an SMS instead; a refused voice note is
remembered; a first send starts the alert's escalation clock; every outcome is counted.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout import ledger
from alerts.fanout.receipts import store_parts
from alerts.fanout.recorder import Results
from alerts.fanout.voice_refusal import note_voice_refused
from alerts.models import Channel as ChannelName
from alerts.models import Delivery, DeliveryState, Registrant
from core.metrics import DELIVERIES


async def write_results(
    session: AsyncSession,
    results: Results,
    *,
    worker: str,
    now: datetime,
    first_escalation: timedelta | None,
) -> None:
    """Write `results` in the session's transaction (only rows `worker` still holds)."""
    outcomes = [outcome for _row, outcome in results]
    unreachable = [
        row
        for row, outcome in results
        if outcome.unreachable and row.channel == ChannelName.TELEGRAM
    ]
    refused = [row.chat_id for row, outcome in results if outcome.voice_refused and row.chat_id]
    parts = [(outcome.id, outcome.part_ids) for outcome in outcomes if outcome.part_ids]
    await ledger.record(session, outcomes, worker=worker, now=now)
    await store_parts(session, parts)
    if unreachable:
        await _switch_to_sms(session, unreachable, now)
    if refused:
        await note_voice_refused(session, refused, now)
    first_sends = [
        (row.alert_id, row.registrant_id)
        for row, outcome in results
        if row.step == 0 and outcome.state is DeliveryState.SENT
    ]
    if first_sends:
        await ledger.first_sent(session, first_sends, now, first_escalation)


def count_results(results: Results) -> None:
    """Add written outcomes to the delivery counters, by channel and state."""
    counted = Counter((row.channel, outcome.state.value) for row, outcome in results)
    for (channel, state), count in counted.items():
        DELIVERIES.labels(channel=channel, state=state).inc(count)


async def _switch_to_sms(session: AsyncSession, rows: list[ledger.Claimed], now: datetime) -> None:
    """Telegram cannot reach these people: remember it, and send them an SMS instead."""
    await session.execute(
        update(Registrant)
        .where(Registrant.id.in_([row.registrant_id for row in rows]))
        .values(telegram_unreachable_at=now)
    )
    with_phone = [row for row in rows if row.phone]
    if not with_phone:
        return
    values = [
        {
            "alert_id": row.alert_id,
            "registrant_id": row.registrant_id,
            "channel": ChannelName.SMS.value,
            "step": row.step,
            "batch": row.batch,
            "state": DeliveryState.QUEUED.value,
            "attempts": 0,
            "in_doubt": False,
            "queued_at": now,
        }
        for row in with_phone
    ]
    await session.execute(ledger.insert_new(session, Delivery), values)
