"""Planning a broadcast: who gets the alert on which channels, written to the ledger in batches.

Recipients are streamed from the registration list in id order and written a batch at a
time; each batch is handed to the workers as soon as it is committed, so the first messages
leave while later batches are still being written. Planning again (after a crash) writes
nothing twice: rows that exist are kept, and batches are numbered in the same order.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.cap.codec import from_dict
from alerts.cap.model import CapAlert
from alerts.fanout.ledger import insert_new
from alerts.models import Alert, AlertRecipient, AlertState, Delivery, DeliveryState, Registrant
from alerts.targeting import Audience, Reachable, channels_for, reachable, test_group_only
from core.clock import Clock

Dispatch = Callable[[int, int], Awaitable[None]]
"""Hand batch `batch` of alert `alert_id` to the workers."""

FIRST_BATCH = 50
ESCALATED_SEVERITIES = frozenset({"Extreme", "Severe"})
SENDABLE_STATUSES = frozenset({"Actual", "Exercise", "Test"})


def escalates(cap: CapAlert) -> bool:
    """Extreme and Severe alerts (real ones and exercises) are followed up when unanswered."""
    return (
        cap.msg_type != "Cancel"
        and cap.status in {"Actual", "Exercise"}
        and any(info.severity in ESCALATED_SEVERITIES for info in cap.infos)
    )


class Planner:
    """Writes an alert's deliveries to the ledger a batch at a time, handing each batch on as
    soon as it is committed (see the module)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        batch_size: int,
        first_escalation: timedelta | None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._batch_size = batch_size
        self._first_escalation = first_escalation

    async def plan(self, alert_id: int, dispatch: Dispatch) -> int:
        """Write every recipient of the alert to the ledger; return how many there are."""
        async with self._sessions() as session:
            alert = await session.get(Alert, alert_id)
            if alert is None:
                raise LookupError(f"alert {alert_id} does not exist")
            cap = from_dict(alert.document)
            audience = Audience.from_json(alert.audience)
            references = list(alert.references)
            if cap.status not in SENDABLE_STATUSES:
                return 0
            if references and cap.msg_type in {"Update", "Cancel"}:
                await session.execute(
                    update(AlertRecipient)
                    .where(AlertRecipient.alert_id.in_(references))
                    .values(next_step_at=None)
                )
                await session.commit()
            escalate = escalates(cap) and self._first_escalation is not None
            total = 0
            batch = 0
            async for chunk in self._recipients(session, cap, audience, references):
                # The read is over: the senders may have the database (SQLite has one
                # connection) while this batch's rows are made ready.
                await session.commit()
                # The very first batch is small, so the first messages leave at once.
                parts = [chunk[:FIRST_BATCH], chunk[FIRST_BATCH:]] if batch == 0 else [chunk]
                for registrants in filter(None, parts):
                    now = self._clock.now()
                    await self._write(session, alert_id, batch, registrants, now, escalate)
                    await session.commit()
                    await dispatch(alert_id, batch)
                    total += len(registrants)
                    batch += 1
                    # Let the senders have the database between two batches: a connection
                    # given back and taken again at once would keep them waiting (SQLite has
                    # one), and sending matters more than planning ahead.
                    await asyncio.sleep(0)
            await session.execute(
                update(Alert)
                .where(Alert.id == alert_id)
                .values(planned_at=self._clock.now(), state=AlertState.SENT)
            )
            await session.commit()
        return total

    async def _recipients(
        self,
        session: AsyncSession,
        cap: CapAlert,
        audience: Audience,
        references: list[int],
    ) -> AsyncIterator[list[Reachable]]:
        """Recipients of the earlier alerts first (Update, Cancel), then the area's."""
        seen: set[int] = set()
        test_only = test_group_only(cap)
        if references:
            after = 0
            while True:
                chunk: list[Reachable] = list(
                    (
                        await session.scalars(
                            select(Registrant)
                            .join(AlertRecipient, AlertRecipient.registrant_id == Registrant.id)
                            .where(
                                AlertRecipient.alert_id.in_(references),
                                Registrant.active.is_(True),
                                Registrant.id > after,
                                # Test and Exercise never leave the test group, whatever
                                # they reference (DESIGN.md, safety rule 3).
                                *([Registrant.test_group.is_(True)] if test_only else []),
                            )
                            .distinct()
                            .order_by(Registrant.id)
                            .limit(self._batch_size)
                        )
                    ).all()
                )
                if not chunk:
                    break
                after = chunk[-1].id
                seen.update(registrant.id for registrant in chunk)
                yield chunk
        if cap.msg_type == "Cancel":
            return
        async for chunk in reachable(
            session,
            cap,
            audience,
            test_group_only=test_group_only(cap),
            batch_size=self._batch_size,
        ):
            fresh = [registrant for registrant in chunk if registrant.id not in seen]
            if fresh:
                yield fresh

    async def _write(
        self,
        session: AsyncSession,
        alert_id: int,
        batch: int,
        registrants: list[Reachable],
        now: datetime,
        escalate: bool,
    ) -> None:
        next_step = now + self._first_escalation if escalate and self._first_escalation else None
        recipients = []
        deliveries = []
        for registrant in registrants:
            recipients.append(
                {
                    "alert_id": alert_id,
                    "registrant_id": registrant.id,
                    "language": registrant.language,
                    "created_at": now,
                    "escalation_step": 0,
                    "next_step_at": next_step,
                }
            )
            for channel in sorted(channels_for(registrant)):
                deliveries.append(
                    {
                        "alert_id": alert_id,
                        "registrant_id": registrant.id,
                        "channel": channel.value,
                        "step": 0,
                        "batch": batch,
                        "state": DeliveryState.QUEUED.value,
                        "attempts": 0,
                        "in_doubt": False,
                        "queued_at": now,
                    }
                )
        if recipients:
            await session.execute(insert_new(session, AlertRecipient), recipients)
        if deliveries:
            await session.execute(insert_new(session, Delivery), deliveries)
