"""The console served by uvicorn inside an asyncio program (`komek console`, `komek run`, tests)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager, contextmanager

import uvicorn
from fastapi import FastAPI

from console.app import create_app
from console.context import ConsoleContext


class _Server(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The program that runs the console owns SIGINT and SIGTERM and stops us by cancelling.
        yield


@asynccontextmanager
async def console_server(
    ctx: ConsoleContext, host: str, port: int, *, app: FastAPI | None = None
) -> AsyncIterator[str]:
    """Serve the console until the block ends; yields its base URL (port 0 picks a free one)."""
    config = uvicorn.Config(
        app or create_app(ctx),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        # X-Forwarded-For is believed only from the configured reverse proxies.
        proxy_headers=bool(ctx.settings.trusted_proxies.strip()),
        forwarded_allow_ips=ctx.settings.trusted_proxies.strip() or None,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # the reason it could not start (e.g. the port is taken)
            raise RuntimeError("the console stopped before it started")
        await asyncio.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        await _close_extras(ctx)  # ends the live-progress streams, which would hold the stop
        await task


async def _close_extras(ctx: ConsoleContext) -> None:
    for value in list(ctx.extras.values()):
        close = getattr(value, "close", None)
        if close is not None and inspect.iscoroutinefunction(close):
            await close()
