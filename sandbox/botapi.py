"""The Bot API routes: /bot<token>/<method> calls and /file/bot<token>/<path> downloads."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from aiohttp import web

from sandbox.errors import BotApiError, bad_request
from sandbox.messaging import MESSAGING_METHODS, Method
from sandbox.network import ARRIVED, LOSE_ANSWER
from sandbox.params import Call, Params, method_not_found
from sandbox.webhook import WebhookDeliverer
from sandbox.world import World

TOKEN_PATTERN = re.compile(r"(\d{1,20}):[A-Za-z0-9_-]{1,100}")
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active;"
    " use deleteWebhook to delete the webhook first"
)
MAX_POLL_SECONDS = 50.0
_STORED_SETTINGS = {
    "setMyName": ("getMyName", "name"),
    "setMyDescription": ("getMyDescription", "description"),
    "setMyShortDescription": ("getMyShortDescription", "short_description"),
}


class BotApi:
    """Answers Bot API calls for one World; accepts any well-formed token unless given one."""

    def __init__(self, world: World, token: str | None = None) -> None:
        self.world = world
        self.token = token
        self.webhook = WebhookDeliverer(world, self.execute)
        methods: dict[str, Method] = {
            **MESSAGING_METHODS,
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._accept,
            "logOut": self._accept,
            "close": self._accept,
        }
        for setter, (getter, key) in _STORED_SETTINGS.items():
            methods[setter] = self._setting_setter(key)
            methods[getter] = self._setting_getter(key)
        self._methods = {name.lower(): method for name, method in methods.items()}

    def routes(self) -> list[web.RouteDef]:
        """Return the aiohttp routes of the Bot API."""
        return [
            web.route("*", "/bot{token}/{method}", self.handle_call),
            web.get("/file/bot{token}/{file_path:.+}", self.handle_file),
        ]

    def bot_id(self, token: str) -> int:
        """Return the bot id of a token, or raise 404 (malformed) or 401 (not this bot's)."""
        match = TOKEN_PATTERN.fullmatch(token)
        if match is None:
            raise BotApiError(404, "Not Found")
        if self.token is not None and token != self.token:
            raise BotApiError(401, "Unauthorized")
        return int(match.group(1))

    async def execute(self, method: str, params: Params, token: str) -> Any:
        """Run one Bot API method and return its result, or raise BotApiError."""
        bot_id = self.bot_id(token)
        handler = self._methods.get(method.lower())
        if handler is None:
            raise method_not_found()
        return await handler(self.world, Call(params, bot_id, token))

    async def handle_call(self, request: web.Request) -> web.Response:
        """Answer POST/GET /bot<token>/<method> in Telegram's JSON envelope."""
        ARRIVED.set(time.monotonic())
        LOSE_ANSWER.set(False)
        token = request.match_info["token"]
        try:
            self.bot_id(token)
            params = await Params.from_request(request)
            if self.world.network.latency_seconds:
                await asyncio.sleep(self.world.network.latency_seconds)
            result = await self.execute(request.match_info["method"], params, token)
        except BotApiError as error:
            return web.json_response(error.to_json(), status=error.status)
        if LOSE_ANSWER.get() and request.transport is not None:
            request.transport.close()  # done, but the bot never hears so
        return web.json_response({"ok": True, "result": result})

    async def handle_file(self, request: web.Request) -> web.Response:
        """Serve the bytes of a stored file to the bot."""
        try:
            self.bot_id(request.match_info["token"])
            stored = self.world.files.by_path(request.match_info["file_path"])
            if stored is None:
                raise BotApiError(404, "Not Found: file not found")
        except BotApiError as error:
            return web.json_response(error.to_json(), status=error.status)
        return web.Response(body=stored.data, headers={"Content-Type": stored.mime_type})

    async def _get_me(self, world: World, call: Call) -> dict[str, Any]:
        return world.bot.as_me(call.bot_id)

    async def _get_updates(self, world: World, call: Call) -> list[dict[str, Any]]:
        if self.webhook.url:
            raise BotApiError(409, CONFLICT)
        params = call.params
        limit = min(max(params.get_int("limit") or 100, 1), 100)
        wait = min(max(params.get_float("timeout") or 0.0, 0.0), MAX_POLL_SECONDS)
        return await world.updates.take(params.get_int("offset"), limit, wait)

    async def _set_webhook(self, world: World, call: Call) -> bool:
        params = call.params
        url = params.get_str("url") or ""
        if params.get_bool("drop_pending_updates"):
            world.updates.clear()
        if not url:
            await self.webhook.stop()
            return True
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token") or None
        if secret is not None and not SECRET_PATTERN.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = min(max(params.get_int("max_connections") or 40, 1), 100)
        await self.webhook.configure(
            url,
            secret=secret,
            token=call.token,
            max_connections=max_connections,
            allowed_updates=params.get_json("allowed_updates") or None,
        )
        return True

    async def _delete_webhook(self, world: World, call: Call) -> bool:
        if call.params.get_bool("drop_pending_updates"):
            world.updates.clear()
        await self.webhook.stop()
        return True

    async def _get_webhook_info(self, world: World, call: Call) -> dict[str, Any]:
        return self.webhook.info()

    async def _set_my_commands(self, world: World, call: Call) -> bool:
        params = call.params
        commands = params.get_json("commands")
        valid = isinstance(commands, list) and all(
            isinstance(c, dict) and c.get("command") and c.get("description") for c in commands
        )
        if not valid:
            raise bad_request("can't parse commands JSON object")
        scope, language = params.get_json("scope"), params.get_str("language_code")
        world.commands.set(commands, scope, language)
        return True

    async def _get_my_commands(self, world: World, call: Call) -> list[dict[str, Any]]:
        params = call.params
        return world.commands.get(params.get_json("scope"), params.get_str("language_code"))

    async def _delete_my_commands(self, world: World, call: Call) -> bool:
        params = call.params
        world.commands.delete(params.get_json("scope"), params.get_str("language_code"))
        return True

    async def _accept(self, world: World, call: Call) -> bool:
        return True

    @staticmethod
    def _setting_setter(key: str) -> Method:
        async def set_setting(world: World, call: Call) -> bool:
            language = call.params.get_str("language_code") or ""
            world.settings[f"{key}:{language}"] = call.params.get_str(key) or ""
            return True

        return set_setting

    @staticmethod
    def _setting_getter(key: str) -> Method:
        async def get_setting(world: World, call: Call) -> dict[str, str]:
            language = call.params.get_str("language_code") or ""
            return {key: world.settings.get(f"{key}:{language}", "")}

        return get_setting
