"""Scale-out on one machine: every process of a deployment, workers stopped and killed mid-alert.

PostgreSQL and Redis from Debian's packages on 127.0.0.1; the sandbox Bot API (Telegram) in
its own process and an SMSC (smpp34's) for SMS; `komek console`, `komek scheduler` and three
`komek worker`s as separate processes. An authority posts a 20,000-recipient alert to the
console's CAP API. During the broadcast two workers are stopped with SIGTERM and one is killed
with SIGKILL, each replaced by a new one. Everyone gets the alert on each of their channels,
and the ledger has one row per person and channel. Graceful stops cost nothing: up to the
kill, nobody got anything twice and nothing was in doubt. After the kill, a message that was
on the wire may go twice (Telegram and SMPP have no idempotency key), only where the ledger
says it is in doubt, and no more than one worker can hold at once.
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.fanout.sender import held_at_most
from alerts.fanout.worker import FINISH_SECONDS, WORKER_TASKS
from alerts.models import Delivery, Registrant
from tests.conftest import need
from tests.servers.komek_cluster import (
    Cluster,
    KomekProcess,
    current_alert,
    running_cluster,
    services_missing,
)
from tests.servers.smsc import Smsc

pytestmark = [pytest.mark.postgres, pytest.mark.realtime]  # processes stopped and killed, timed

PEOPLE = 20_000
SMS_EVERY = 20
"""One person in 20 also asked for SMS: 1,000 SMS beside 20,000 Telegram messages."""
BLIND_EVERY = 50
"""One in 50 is blind: a voice note with the text."""
GRACE_SECONDS = 2.0
EXIT_SECONDS = 10.0
"""After its work: closing connections, and Python's own exit, on a busy machine."""
CLAIMED_AT_MOST = held_at_most(WORKER_TASKS)
"""What one worker holds at most: the most one kill can leave in doubt."""
BROADCAST_SECONDS = 150.0


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc(password="sc4le-pw") as running:  # not a placeholder: the settings check
        yield running


async def _stop_gracefully(cluster: Cluster, worker: KomekProcess) -> None:
    """SIGTERM: the worker exits within its grace period, holding no row."""
    took = await worker.stop(signal.SIGTERM)
    assert worker.popen.returncode == 0, worker.output()[-2000:]
    assert took < GRACE_SECONDS + FINISH_SECONDS + EXIT_SECONDS, took
    async with cluster.sessions() as session:
        held = await session.scalar(
            select(func.count()).where(
                Delivery.worker == worker.worker, Delivery.state == "sending"
            )
        )
    assert held == 0


def _received_sms(smsc: Smsc) -> Counter[str]:
    """SMS per phone, as the phones show them (a long one's parts put together)."""
    return Counter(f"+{message.destination}" for message in smsc.received())


async def test_twenty_thousand_people_three_workers_restarted_and_killed(
    tmp_path: Path, smsc: Smsc, record_property: Callable[[str, object], None]
) -> None:
    missing = services_missing()
    need(missing is None, missing or "")
    env = {
        "KOMEK_TELEGRAM_ALERT_RATE": "1000",  # the sandbox allows any rate; the limit still runs
        # A killed worker's rows come back after 20 s; a live worker renews its lease every
        # 7 s, which leaves room on a machine this busy (all processes on two cores).
        "KOMEK_ALERT_TASK_IDLE_SECONDS": "40",
        "KOMEK_WORKER_GRACE_SECONDS": str(GRACE_SECONDS),
        "KOMEK_SMS_BACKEND": "smpp",
        "KOMEK_SMPP_HOST": smsc.host,
        "KOMEK_SMPP_PORT": str(smsc.port),
        "KOMEK_SMPP_SYSTEM_ID": smsc.system_id,
        "KOMEK_SMPP_PASSWORD": smsc.password,
        "KOMEK_SMPP_THROUGHPUT": "1000",
    }
    async with running_cluster(tmp_path, env=env) as cluster:
        first, second, third = [cluster.start_worker() for _ in range(3)]
        people = await cluster.register(PEOPLE, sms_every=SMS_EVERY, blind_every=BLIND_EVERY)
        await cluster.ready()
        alert_id = await cluster.post_cap(to_xml(current_alert("scale-out-1")))

        await cluster.wait_sent(alert_id, PEOPLE * 15 // 100, BROADCAST_SECONDS)
        await _stop_gracefully(cluster, first)
        cluster.start_worker()  # its replacement, as an orchestrator would start one
        await cluster.wait_sent(alert_id, PEOPLE * 35 // 100, BROADCAST_SECONDS)
        await _stop_gracefully(cluster, second)
        cluster.start_worker()

        # Up to here only graceful stops: nothing in doubt, nobody reached twice.
        async with cluster.sessions() as session:
            in_doubt = (
                await session.execute(
                    select(
                        Delivery.id,
                        Delivery.channel,
                        Delivery.state,
                        Delivery.attempts,
                        Delivery.worker,
                        Delivery.last_error,
                        Delivery.batch,
                    ).where(Delivery.alert_id == alert_id, Delivery.in_doubt)
                )
            ).all()
        assert in_doubt == [], [tuple(row) for row in in_doubt[:20]]
        assert max((await cluster.sandbox.message_counts()).values()) == 1
        assert max(_received_sms(smsc).values(), default=1) == 1

        await cluster.wait_sent(alert_id, PEOPLE * 55 // 100, BROADCAST_SECONDS)
        # A killed planner is planned again by the scheduler, later; kill one that sends.
        await cluster.wait_planned(alert_id, BROADCAST_SECONDS)
        await third.stop(signal.SIGKILL)
        cluster.start_worker()

        await cluster.wait_sent(alert_id, PEOPLE + len(people.phones), BROADCAST_SECONDS)
        async with cluster.sessions() as session:
            rows = await session.execute(
                select(Delivery.channel, func.count())
                .where(Delivery.alert_id == alert_id)
                .group_by(Delivery.channel)
            )
            assert dict(rows.all()) == {
                "telegram": PEOPLE,
                "sms": len(people.phones),
            }
            doubtful = (
                await session.execute(
                    select(Delivery.channel, Registrant.telegram_chat_id, Registrant.phone)
                    .join(Registrant, Registrant.id == Delivery.registrant_id)
                    .where(Delivery.alert_id == alert_id, Delivery.in_doubt)
                )
            ).all()
        telegram = await cluster.sandbox.message_counts()
        sms = _received_sms(smsc)
        assert [chat for chat in people.chats if chat not in telegram] == []
        assert [phone for phone in people.phones if phone not in sms] == []
        # A second copy only of what was on the wire at the kill, which the ledger marks.
        record_property("in_doubt", len(doubtful))
        record_property(
            "sent_twice", sum(telegram.values()) + sum(sms.values()) - PEOPLE - len(people.phones)
        )
        assert len(doubtful) <= CLAIMED_AT_MOST
        twice = {chat for chat, count in telegram.items() if count > 1} - {
            chat for channel, chat, _ in doubtful if channel == "telegram"
        }
        assert not twice, await _ledger_of(cluster, alert_id, sorted(twice)[:10])
        assert {phone for phone, count in sms.items() if count > 1} <= {
            phone for channel, _, phone in doubtful if channel == "sms"
        }


async def _ledger_of(cluster: Cluster, alert_id: int, chats: list[int]) -> list[tuple[object, ...]]:
    """What the ledger says of these chats' Telegram deliveries: for a failure's message."""
    async with cluster.sessions() as session:
        rows = await session.execute(
            select(
                Registrant.telegram_chat_id,
                Delivery.state,
                Delivery.attempts,
                Delivery.in_doubt,
                Delivery.worker,
                Delivery.last_error,
                Delivery.batch,
            )
            .join(Registrant, Registrant.id == Delivery.registrant_id)
            .where(
                Delivery.alert_id == alert_id,
                Delivery.channel == "telegram",
                Registrant.telegram_chat_id.in_(chats),
            )
        )
        return [tuple(row) for row in rows.all()]
