"""The sandbox web application and a server that runs it on a loopback port."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

from aiohttp import web

from sandbox.botapi import BotApi
from sandbox.control import ControlApi
from sandbox.control_origin import same_origin_json
from sandbox.people import BotIdentity
from sandbox.sms import SmsCentre
from sandbox.sms_api import SmsApi
from sandbox.world import World

STATIC_DIR = Path(__file__).parent / "static"
WORLD_KEY = web.AppKey("world", World)
BOT_API_KEY = web.AppKey("bot_api", BotApi)
SMS_KEY = web.AppKey("sms", SmsCentre)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


def _bot_for_token(token: str | None) -> BotIdentity:
    if token and token.split(":", 1)[0].isdigit():
        return BotIdentity(id=int(token.split(":", 1)[0]))
    return BotIdentity()


def create_app(world: World | None = None, *, token: str | None = None) -> web.Application:
    """Build the sandbox: Bot API, control API, the web chat page and its static files."""
    world = world or World(bot=_bot_for_token(token))
    bot_api = BotApi(world, token)
    control = ControlApi(world, bot_api.webhook)
    sms = SmsCentre(clock=world.now)
    assets = {
        path.name: (path.read_bytes(), CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        for path in STATIC_DIR.iterdir()
        if path.is_file()
    }

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info.get("name", "index.html")
        if name not in assets:
            raise web.HTTPNotFound()
        body, content_type = assets[name]
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return web.Response(body=body, content_type=content_type, charset="utf-8", headers=headers)

    async def shutdown(app: web.Application) -> None:
        world.close()
        sms.close()

    async def cleanup(app: web.Application) -> None:
        await bot_api.webhook.close()

    app = web.Application(client_max_size=MAX_UPLOAD_BYTES, middlewares=[same_origin_json])
    app[WORLD_KEY] = world
    app[BOT_API_KEY] = bot_api
    app[SMS_KEY] = sms
    app.add_routes(bot_api.routes())
    app.add_routes(control.routes())
    app.add_routes(SmsApi(sms).routes())
    app.add_routes([web.get("/", asset), web.get("/static/{name}", asset)])
    app.on_shutdown.append(shutdown)
    app.on_cleanup.append(cleanup)
    return app


class SandboxServer:
    """Runs the sandbox on host:port (port 0 picks a free one) inside `async with`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        world: World | None = None,
        token: str | None = None,
    ) -> None:
        self.host = host
        self.app = create_app(world, token=token)
        self.world = self.app[WORLD_KEY]
        self.sms = self.app[SMS_KEY]
        self._requested_port = port
        self._runner: web.AppRunner | None = None
        self.port = port

    @property
    def base_url(self) -> str:
        """Return the server's root URL, e.g. http://127.0.0.1:8080."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        """Start listening."""
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening, end every long-poll and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()
