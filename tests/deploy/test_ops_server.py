"""The ops server of `komek bot`, `komek worker` and `komek scheduler`: /healthz, /readyz, /metrics.

Served for real on 127.0.0.1 and asked over HTTP, as a container health check or Prometheus
would ask it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import insert

from alerts.models import Alert, Delivery
from cli.ops_server import ops_server
from core.clock import ManualClock
from core.database import SessionFactory
from core.settings import Settings
from tests.alerts.broadcast import SENT, add_registrants
from tests.conftest import need
from tests.deploy.logs import json_logs, read_lines
from tests.servers.ports import free_port
from tests.servers.redis import redis_bin, running_redis


async def get(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
        return response.status, await response.text()


def sample(metrics: str, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(metrics):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return None


async def test_health_readiness_and_metrics_of_a_migrated_database(
    settings: Settings, sessions: SessionFactory
) -> None:
    async with ops_server(settings, process="worker", port=free_port()) as url:
        assert url is not None
        status, body = await get(f"{url}/healthz")
        assert status == 200 and '"process": "worker"' in body
        status, body = await get(f"{url}/readyz")
        assert status == 200, body
        assert '"database": {"ok": true' in body
        assert "redis" not in body, "no Redis configured, none asked"
        status, body = await get(f"{url}/metrics")
        assert status == 200
        assert "# TYPE komek_deliveries_total counter" in body
        assert "# TYPE komek_bot_turn_seconds histogram" in body


async def test_not_ready_when_the_database_is_out_of_reach(tmp_path: Path) -> None:
    closed = free_port()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        environment="test",
        data_dir=tmp_path,
        database_url=f"postgresql+asyncpg://komek:pw-not-shown@127.0.0.1:{closed}/komek",
    )
    async with ops_server(settings, process="bot", port=free_port()) as url:
        assert url is not None
        status, _ = await get(f"{url}/healthz")
        assert status == 200, "alive all the same: restarting it would not bring the database"
        status, body = await get(f"{url}/readyz")
    assert status == 503
    assert '"database": {"ok": false, "detail": "unreachable' in body
    assert "pw-not-shown" not in body and str(closed) not in body


async def test_not_ready_before_the_migrations(settings: Settings) -> None:
    async with ops_server(settings, process="worker", port=free_port()) as url:
        assert url is not None
        status, body = await get(f"{url}/readyz")
    assert status == 503
    assert "komek db upgrade" in body


async def test_redis_is_asked_when_configured(settings: Settings, sessions: SessionFactory) -> None:
    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    async with ops_server(down, process="worker", port=free_port()) as url:
        status, body = await get(f"{url}/readyz")
    assert status == 503
    assert '"database": {"ok": true' in body and '"redis": {"ok": false' in body

    need(redis_bin() is not None, "redis-server from Debian packages is not installed")
    with running_redis() as redis_url:
        up = settings.model_copy(update={"redis_url": redis_url})
        async with ops_server(up, process="worker", port=free_port()) as url:
            status, body = await get(f"{url}/readyz")
    assert status == 200 and '"redis": {"ok": true' in body


async def test_metrics_need_the_token_when_one_is_set(
    settings: Settings, sessions: SessionFactory
) -> None:
    guarded = settings.model_copy(update={"metrics_token": SecretStr("Zq8pW2rT0m")})
    async with ops_server(guarded, process="scheduler", port=free_port()) as url:
        assert (await get(f"{url}/metrics"))[0] == 401
        assert (await get(f"{url}/metrics", Authorization="Bearer wrong"))[0] == 401
        status, body = await get(f"{url}/metrics", Authorization="Bearer Zq8pW2rT0m")
        assert status == 200 and "komek_send_seconds" in body
        assert (await get(f"{url}/healthz"))[0] == 200, "health needs no token"


async def test_queue_depth_is_read_from_the_ledger_on_every_scrape(
    settings: Settings, sessions: SessionFactory
) -> None:
    clock = ManualClock(SENT)
    await add_registrants(
        sessions, [{"phone": f"+7701000000{n}", "telegram_chat_id": 500 + n} for n in range(3)]
    )
    async with sessions.begin() as session:
        alert_id = await session.scalar(
            insert(Alert)
            .values(
                identifier="depth-1",
                sender="dispatch@komek.test",
                sent=SENT,
                status="Actual",
                msg_type="Alert",
                severity="Extreme",
                document={},
                cap_xml="<alert/>",
                state="sent",
                created_by="test",
                created_at=SENT,
                approved_at=SENT,
            )
            .returning(Alert.id)
        )
        states = {(1, "sms"): "queued", (2, "sms"): "sending", (3, "sms"): "sent"}
        states |= {(1, "telegram"): "queued"}
        await session.execute(
            insert(Delivery),
            [
                {
                    "alert_id": alert_id,
                    "registrant_id": registrant,
                    "channel": channel,
                    "batch": 0,
                    "state": state,
                    "queued_at": SENT,
                }
                for (registrant, channel), state in states.items()
            ],
        )
    async with ops_server(
        settings, process="scheduler", port=free_port(), queue_depth=True, clock=clock
    ) as url:
        body = (await get(f"{url}/metrics"))[1]
        assert sample(body, "komek_alert_queue_depth", channel="sms") == 2
        assert sample(body, "komek_alert_queue_depth", channel="telegram") == 1
        assert sample(body, "komek_alert_queue_depth", channel="contact_sms") == 0
        clock.tick(timedelta(days=3).total_seconds())  # long past: no longer looked at
        body = (await get(f"{url}/metrics"))[1]
        assert sample(body, "komek_alert_queue_depth", channel="sms") == 0


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


async def test_a_taken_port_does_not_stop_the_process(
    settings: Settings, taken_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with json_logs():
        async with ops_server(settings, process="worker", port=taken_port) as url:
            assert url is None
    _, lines = read_lines(capsys)
    expected = {"event": "ops.port_unavailable", "port": taken_port, "error": "OSError"}
    assert expected.items() <= lines[-1].items()


async def test_port_zero_means_no_server(settings: Settings) -> None:
    off = settings.model_copy(update={"ops_port": 0})
    async with ops_server(off, process="worker") as url:
        assert url is None
