"""A worker killed in the middle of a broadcast: the alert still reaches everyone.

PostgreSQL and Redis from Debian's packages on 127.0.0.1, two `komek worker` processes, the
sandbox Bot API in this process. One worker is killed with SIGKILL while 5,000 people are
being sent an alert; the other takes its batches over. Everyone gets the alert; nobody gets
it twice, except a message that was on the wire at the moment of the kill (Telegram cannot
say whether it arrived, so it is sent again: a duplicate is safer than a silence). Those are
marked in doubt in the ledger and counted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.fanout.sender import held_at_most
from alerts.fanout.worker import WORKER_TASKS
from alerts.models import Delivery
from cli.alerts_runtime import alert_system
from core.clock import SystemClock
from core.database import create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert
from tests.conftest import need
from tests.servers.lifetime import die_with_parent
from tests.servers.postgres import postgres_bin, running_postgres
from tests.servers.redis import redis_bin, running_redis

pytestmark = [pytest.mark.postgres, pytest.mark.realtime]

PEOPLE = 5000
TOKEN = "123456:crash-test"
KOMEK = Path(sys.executable).with_name("komek")
CLAIMED_AT_MOST = held_at_most(WORKER_TASKS)
"""What one worker holds at most: its batches' chunks waiting for their turn, and the
messages on the wire."""


@pytest.fixture
def services() -> Iterator[tuple[str, str]]:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    need(redis_bin() is not None, "redis-server from Debian packages is not installed")
    with running_postgres() as database_url, running_redis() as redis_url:
        yield database_url, redis_url


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(KOMEK), "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(signal.SIGTERM),  # stops if the tests are killed
        )


async def test_a_killed_worker_loses_no_recipient(
    services: tuple[str, str], tmp_path: Path
) -> None:
    database_url, redis_url = services
    async with SandboxServer("127.0.0.1", 0) as sandbox, SandboxClient(sandbox.base_url) as client:
        env = os.environ | {
            "KOMEK_ENVIRONMENT": "test",
            "KOMEK_DATA_DIR": str(tmp_path / "var"),
            "KOMEK_DATABASE_URL": database_url,
            "KOMEK_REDIS_URL": redis_url,
            "KOMEK_TELEGRAM_TOKEN": TOKEN,
            "KOMEK_TELEGRAM_API_URL": sandbox.base_url,
            "KOMEK_TELEGRAM_ALERT_RATE": "400",
            "KOMEK_ALERT_TASK_IDLE_SECONDS": "10",
            "KOMEK_ALERT_BATCH_SIZE": "250",
        }
        settings = Settings(
            _env_file=None,
            **{  # type: ignore[arg-type]
                key.removeprefix("KOMEK_").lower(): value
                for key, value in env.items()
                if key.startswith("KOMEK_")
            },
        )
        engine = create_engine(settings)
        await upgrade(engine)
        sessions = session_factory(engine)
        chats = list(await client.add_users(PEOPLE))
        await add_registrants(
            sessions,
            [
                {
                    "telegram_chat_id": chat,
                    "disability_kinds": ["blind"] if number % 10 == 0 else ["deaf"],
                }
                for number, chat in enumerate(chats)
            ],
        )
        workers = [_worker(env, tmp_path / f"worker-{n}.log") for n in range(2)]
        try:
            async with alert_system(
                settings,
                sessions,
                SystemClock(),
                bot=None,
                catalogs=Catalogs.load(),
                voice=None,
                sends=False,
            ) as system:
                stored = await system.service.receive(to_xml(alert("crash-1")), actor="test")
                await system.service.approve(stored.id, actor="test")

                async def sent() -> int:
                    async with sessions() as session:
                        return int(
                            await session.scalar(
                                select(func.count()).where(
                                    Delivery.alert_id == stored.id, Delivery.state == "sent"
                                )
                            )
                            or 0
                        )

                deadline = time.monotonic() + 120
                while await sent() < PEOPLE // 4:
                    assert time.monotonic() < deadline, "the broadcast did not start"
                    await asyncio.sleep(0.1)
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait(10)
                killed_at = await sent()
                assert killed_at < PEOPLE, "killed too late to prove anything"
                while await sent() < PEOPLE:
                    assert time.monotonic() < deadline, (
                        f"only {await sent()} of {PEOPLE} sent after the kill"
                    )
                    await asyncio.sleep(0.2)

            counts = await client.message_counts()
            async with sessions() as session:
                in_doubt = int(
                    await session.scalar(
                        select(func.count()).where(
                            Delivery.alert_id == stored.id, Delivery.in_doubt.is_(True)
                        )
                    )
                    or 0
                )
                rows = int(
                    await session.scalar(select(func.count()).where(Delivery.alert_id == stored.id))
                    or 0
                )
            missing = [chat for chat in chats if counts.get(chat, 0) == 0]
            extra = sum(count - 1 for count in counts.values() if count > 1)
            assert rows == PEOPLE  # one ledger row per person and channel
            assert missing == []
            # A duplicate only where the ledger says a message was on the wire at the kill,
            # and no more of those than one worker can have claimed at once.
            assert extra <= in_doubt <= CLAIMED_AT_MOST, (killed_at, in_doubt, extra)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    worker.kill()
            await engine.dispose()
