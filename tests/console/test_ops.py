"""The console's /healthz, /readyz and /metrics, and metrics that count a real broadcast."""

from __future__ import annotations

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from alerts.cap.export import to_xml
from core.database import create_engine, session_factory
from core.settings import Environment
from tests.alerts.broadcast import add_registrants, alert
from tests.console.harness import ConsoleHarness
from tests.servers.ports import free_port


def sample(metrics: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(metrics):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return 0.0


async def scrape(http: aiohttp.ClientSession, **headers: str) -> tuple[int, str]:
    async with http.get("/metrics", headers=headers) as response:
        return response.status, await response.text()


async def test_health_and_readiness_need_no_sign_in(console: ConsoleHarness) -> None:
    http = (await console.client()).http
    async with http.get("/healthz", allow_redirects=False) as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok", "process": "console"}
    async with http.get("/readyz", allow_redirects=False) as response:
        assert response.status == 200
        ready = await response.json()
    assert ready["status"] == "ready"
    assert ready["checks"]["database"]["ok"] is True


async def test_not_ready_when_the_database_is_out_of_reach(console: ConsoleHarness) -> None:
    settings = console.ctx.settings.model_copy(
        update={"database_url": f"postgresql+asyncpg://komek@127.0.0.1:{free_port()}/komek"}
    )
    engine = create_engine(settings)
    working = console.ctx.sessions
    console.ctx.sessions = session_factory(engine)
    try:
        http = (await console.client()).http
        async with http.get("/readyz") as response:
            assert response.status == 503
            ready = await response.json()
        async with http.get("/healthz") as response:
            assert response.status == 200
    finally:
        console.ctx.sessions = working
        await engine.dispose()
    assert ready["status"] == "not ready"
    assert ready["checks"]["database"]["ok"] is False


async def test_a_broadcast_is_counted_in_the_metrics(console: ConsoleHarness) -> None:
    http = (await console.client()).http
    status, before = await scrape(http)
    assert status == 200, "open in development and test"
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": chat, "disability_kinds": ["deaf"]} for chat in chats],
    )
    service = console.system.service
    stored = await service.receive(to_xml(alert("metrics-1")), actor="dispatcher-1")
    await service.approve(stored.id, actor="approver-2")
    await console.system.fanout.wait_idle()

    _, after = await scrape(http)
    sent = ("komek_deliveries_total", {"channel": "telegram", "state": "sent"})
    assert sample(after, sent[0], **sent[1]) - sample(before, sent[0], **sent[1]) == 2
    timed = ("komek_send_seconds_count", {"channel": "telegram"})
    assert sample(after, timed[0], **timed[1]) - sample(before, timed[0], **timed[1]) == 2
    assert sample(after, "komek_alert_queue_depth", channel="telegram") == 0


async def test_metrics_are_closed_in_production_until_a_token_is_set(
    console: ConsoleHarness,
) -> None:
    http = (await console.client()).http
    development = console.ctx.settings
    console.ctx.settings = development.model_copy(update={"environment": Environment.PRODUCTION})
    status, body = await scrape(http)
    assert status == 403 and "KOMEK_METRICS_TOKEN" in body
    console.ctx.settings = development.model_copy(
        update={"environment": Environment.PRODUCTION, "metrics_token": SecretStr("Zq8pW2rT0m")}
    )
    assert (await scrape(http))[0] == 401
    assert (await scrape(http, Authorization="Bearer nope"))[0] == 401
    status, body = await scrape(http, Authorization="Bearer Zq8pW2rT0m")
    assert status == 200 and "komek_deliveries_total" in body
