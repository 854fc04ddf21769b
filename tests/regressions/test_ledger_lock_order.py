"""A worker writing outcomes while it renews the same chunk's lease never deadlocks (PostgreSQL).

Outcomes were written in the order the answers came, and a chunk's lease was renewed in one
statement that locked its rows by id. When answers came out of id order, the two transactions
could each hold a row the other wanted: PostgreSQL then aborted one of them (the scale-out
test on a busy machine counted such a deadlock). An aborted renewal is tried again; an aborted
write failed its chunks, so rows already sent stayed "sending" until their lease lapsed and
were sent again, in doubt.

Here a third transaction holds the middle row for a moment, so that the write and the renewal
meet in that order every time, as they did by chance on a busy machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from alerts.fanout import ledger
from alerts.models import Alert, AlertRecipient, Delivery, DeliveryState, Registrant
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.settings import Settings
from tests.conftest import need
from tests.servers.postgres import postgres_bin, running_postgres
from tests.waiting import until

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 12, 7, 21, 0, tzinfo=UTC)
WORKER = "worker-a"


@pytest.fixture
async def engine() -> AsyncIterator[AsyncEngine]:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    with running_postgres() as url:
        made = create_engine(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
        try:
            await upgrade(made)
            yield made
        finally:
            await made.dispose()


async def _claimed_chunk(sessions: SessionFactory, size: int) -> list[ledger.Claimed]:
    """One alert to `size` people, its batch claimed by WORKER."""
    async with sessions.begin() as session:
        alert = Alert(
            identifier="lock-order",
            sender="dispatch@komek.test",
            sent=NOW,
            status="Actual",
            msg_type="Alert",
            severity="Extreme",
            document={},
            cap_xml="<alert/>",
            state="sent",
            created_by="test",
            created_at=NOW,
        )
        session.add(alert)
        await session.flush()
        people = await session.scalars(
            insert(Registrant).returning(Registrant.id),
            [
                {
                    "telegram_chat_id": 1000 + number,
                    "language": "ru",
                    "region": "75",
                    "disability_kinds": ["deaf"],
                    "consent_source": "list",
                    "consent_version": "test",
                    "consent_at": NOW,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for number in range(size)
            ],
        )
        ids = list(people)
        for registrant in ids:
            session.add(
                AlertRecipient(
                    alert_id=alert.id, registrant_id=registrant, language="ru", created_at=NOW
                )
            )
            session.add(
                Delivery(
                    alert_id=alert.id,
                    registrant_id=registrant,
                    channel="telegram",
                    batch=0,
                    queued_at=NOW,
                )
            )
        alert_id = alert.id
    async with sessions.begin() as session:
        return await ledger.claim(
            session, alert_id=alert_id, batch=0, worker=WORKER, now=NOW, limit=size
        )


async def _waiting_on_locks(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        waiting = await connection.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        )
    return int(waiting or 0)


async def test_outcomes_out_of_id_order_and_a_lease_renewal_both_go_through(
    engine: AsyncEngine,
) -> None:
    sessions = session_factory(engine)
    first, middle, last = await _claimed_chunk(sessions, 3)
    # The answers came last first: that is the order the outcomes are written in.
    answered = [
        ledger.Outcome(row.id, DeliveryState.SENT, provider_message_id=str(row.id))
        for row in (last, middle, first)
    ]

    async def write() -> None:
        async with sessions.begin() as session:
            await ledger.record(session, answered, worker=WORKER, now=NOW)

    async def renew() -> set[int]:
        async with sessions.begin() as session:
            return await ledger.renew(
                session,
                [first.id, middle.id, last.id],
                worker=WORKER,
                now=NOW + timedelta(seconds=7),
            )

    async with engine.connect() as holder:  # holds the middle row for a moment
        await holder.execute(select(Delivery.id).where(Delivery.id == middle.id).with_for_update())
        writing = asyncio.create_task(write())

        async def one_waits() -> bool:
            return await _waiting_on_locks(engine) == 1

        await until(one_waits)
        renewing = asyncio.create_task(renew())

        async def renewed_or_both_wait() -> bool:  # today: renewed; before: both waited
            return renewing.done() or await _waiting_on_locks(engine) == 2

        await until(renewed_or_both_wait)
        await holder.commit()
    outcomes = await asyncio.gather(writing, renewing, return_exceptions=True)

    failed = [repr(outcome) for outcome in outcomes if isinstance(outcome, BaseException)]
    assert failed == []
    async with sessions() as session:
        states = (await session.scalars(select(Delivery.state).order_by(Delivery.id))).all()
    assert states == ["sent", "sent", "sent"]
