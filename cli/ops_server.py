"""The ops server of `komek bot`, `komek worker` and `komek scheduler`: health and metrics.

A small aiohttp server on KOMEK_OPS_HOST:KOMEK_OPS_PORT (the console serves the same three
addresses itself):

- `/healthz`: 200 while the process's event loop answers (liveness);
- `/readyz`: 200 when the database answers and is migrated, and Redis answers when configured;
  503 and which check failed otherwise (readiness);
- `/metrics`: Prometheus's text format (with KOMEK_METRICS_TOKEN, only for that bearer token).

It has its own small database engine, so that it answers the same however busy the process is.
A port that cannot be bound is logged and the process runs on without it: sending alerts
matters more than being watched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from aiohttp import web

from alerts.fanout.queue_depth import refresh_queue_depth
from core.clock import Clock, SystemClock
from core.database import SessionFactory, create_engine, session_factory
from core.health import readiness
from core.metrics import CONTENT_TYPE, exposition, may_scrape
from core.settings import Settings

log = structlog.get_logger(__name__)

Collect = Callable[[], Awaitable[object]]
"""Work to do before metrics are rendered (e.g. reading the queue depth from the ledger)."""


def ops_app(
    settings: Settings, sessions: SessionFactory, *, process: str, collect: Collect | None = None
) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "process": process})

    async def readyz(_request: web.Request) -> web.Response:
        ready = await readiness(settings, sessions)
        return web.json_response(ready.to_json(), status=200 if ready.ready else 503)

    async def metrics(request: web.Request) -> web.Response:
        if not may_scrape(settings, request.headers.get("Authorization"), console=False):
            return web.json_response(
                {"detail": "a valid metrics token is needed"},
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        if collect is not None:
            try:
                await collect()
            except Exception as error:  # stale figures beat no figures
                log.warning("ops.collect_failed", error=type(error).__name__)
        response = web.Response(body=exposition())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return app


@asynccontextmanager
async def ops_server(
    settings: Settings,
    *,
    process: str,
    queue_depth: bool = False,
    port: int | None = None,
    clock: Clock | None = None,
) -> AsyncIterator[str | None]:
    """Serve while the block runs; yields the base URL, or None when off or the port is taken.

    `queue_depth`: read the alert queue depth from the ledger on every scrape.
    """
    port = settings.ops_port if port is None else port
    if port == 0:
        yield None
        return
    engine = create_engine(settings)
    sessions = session_factory(engine)
    collect: Collect | None = None
    if queue_depth:
        now = (clock or SystemClock()).now

        async def collect() -> object:
            return await refresh_queue_depth(sessions, now())

    runner = web.AppRunner(
        ops_app(settings, sessions, process=process, collect=collect), access_log=None
    )
    await runner.setup()
    url: str | None = None
    try:
        try:
            await web.TCPSite(runner, settings.ops_host, port).start()
        except OSError as error:
            log.error("ops.port_unavailable", port=port, error=type(error).__name__)
        else:
            url = f"http://{settings.ops_host}:{port}"
            log.info("ops.listening", port=port, process=process)
        yield url
    finally:
        await runner.cleanup()
        await engine.dispose()


async def with_ops(
    settings: Settings,
    main: Callable[[], Awaitable[None]],
    *,
    process: str,
    queue_depth: bool = False,
) -> None:
    """Run `main()` with the ops server beside it."""
    async with ops_server(settings, process=process, queue_depth=queue_depth):
        await main()
