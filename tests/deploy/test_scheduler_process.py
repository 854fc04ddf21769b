"""`komek scheduler` as production runs it: its own process, SQLite here, Redis, SIGTERM.

An Extreme alert went out 20 minutes ago and somebody has not answered. The scheduler starts,
takes the escalation step (a reminder queued in the ledger and handed to the workers through
Redis), answers its health, readiness and metrics, logs JSON lines without the person's phone,
and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from redis.asyncio import Redis
from sqlalchemy import select, update

from alerts.fanout.engine import QUEUE
from alerts.models import Alert, Delivery, Registrant
from core.database import create_engine, session_factory, upgrade
from core.settings import Settings
from tests.alerts.broadcast import add_registrants, alert_received
from tests.servers.lifetime import die_with_parent
from tests.servers.ports import free_port
from tests.waiting import until

KOMEK = Path(sys.executable).with_name("komek")
PHONE = "+77015550123"


def _scheduler(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(KOMEK), "scheduler"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(signal.SIGTERM),  # stops if the tests are killed
        )


@pytest.mark.realtime
async def test_the_scheduler_escalates_and_stops_on_sigterm(tmp_path: Path, redis_url: str) -> None:
    ops_port = free_port()
    env = os.environ | {
        "KOMEK_ENVIRONMENT": "production",
        "KOMEK_SMS_BACKEND": "none",
        "KOMEK_DATA_DIR": str(tmp_path / "var"),
        "KOMEK_REDIS_URL": redis_url,
        "KOMEK_OPS_HOST": "127.0.0.1",
        "KOMEK_OPS_PORT": str(ops_port),
        "KOMEK_ALERT_ESCALATION_MINUTES": "10,20,30,45",
    }
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]
    engine = create_engine(settings)
    await upgrade(engine)
    sessions = session_factory(engine)
    sent = datetime.now(UTC) - timedelta(minutes=20)
    await add_registrants(sessions, [{"telegram_chat_id": 4242, "phone": PHONE}], now=sent)
    async with sessions.begin() as session:
        person = await session.scalar(select(Registrant))
        assert person is not None
        stored = await alert_received(
            session, person.id, identifier="overdue-1", language="ru", now=sent
        )
        await session.execute(update(Alert).where(Alert.id == stored.id).values(approved_at=sent))

    async def escalated() -> bool:
        async with sessions() as session:
            step = await session.scalar(
                select(Delivery.step).where(Delivery.alert_id == stored.id, Delivery.step == 1)
            )
        return step is not None

    log = tmp_path / "scheduler.log"
    process = _scheduler(env, log)
    try:
        await until(escalated, 60.0)
        redis = Redis.from_url(redis_url)

        async def handed_to_workers() -> bool:  # the row is written first, then handed out
            return int(await redis.xlen(QUEUE)) >= 1

        try:
            await until(handed_to_workers, 15.0)
        finally:
            await redis.aclose()
        base = f"http://127.0.0.1:{ops_port}"
        async with aiohttp.ClientSession(base_url=base) as http:
            async with http.get("/healthz") as response:
                assert await response.json() == {"status": "ok", "process": "scheduler"}
            async with http.get("/readyz") as response:
                checks = (await response.json())["checks"]
                assert response.status == 200, checks
            assert checks["database"]["ok"] and checks["redis"]["ok"]
            async with http.get("/metrics") as response:
                metrics = await response.text()
        assert 'komek_scheduler_runs_total{job="alerts",outcome="ok"}' in metrics
        assert 'komek_alert_queue_depth{channel="telegram"} 1.0' in metrics

        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        await engine.dispose()

    output = log.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    events = [line["event"] for line in lines]
    assert "scheduler.started" in events and "scheduler.batches_handed_out" in events
    assert events[-1] == "stopped"
    assert PHONE not in output and PHONE[1:] not in output
