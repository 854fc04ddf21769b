"""The control API under /control/: simulated users act, tests read chats and set faults."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox.errors import BotApiError
from sandbox.params import Params, Upload
from sandbox.webhook import WebhookDeliverer
from sandbox.world import World

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_TEXT = 4096
MAX_BULK_USERS = 100_000
"""The most users one bulk request makes (the largest benchmark uses 100,000)."""
MAX_EVENT_WAIT = 60.0
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status)


def _guarded(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except BotApiError as error:
            message = error.description.removeprefix("Bad Request: ")
            return _error(404 if "not found" in message else error.status, message)
        except (TypeError, ValueError) as error:
            return _error(400, f"invalid request: {error}")

    return guarded


def _text_content(text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    command = _COMMAND.match(text)
    if command is not None:
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
    return content


class ControlApi:
    """JSON routes that drive simulated users and let tests observe chats."""

    def __init__(self, world: World, webhook: WebhookDeliverer | None = None) -> None:
        self.world = world
        self.webhook = webhook

    def routes(self) -> list[web.RouteDef]:
        """Return the aiohttp routes of the control API."""
        g = _guarded
        return [
            web.get("/control/health", g(self.health)),
            web.get("/control/bot", g(self.bot)),
            web.post("/control/users", g(self.create_user)),
            web.post("/control/users/bulk", g(self.create_users)),
            web.get("/control/counts", g(self.counts)),
            web.get("/control/network", g(self.network)),
            web.put("/control/network", g(self.network)),
            web.get("/control/users", g(self.list_users)),
            web.get("/control/users/{user_id:-?\\d+}", g(self.get_user)),
            web.patch("/control/users/{user_id:-?\\d+}", g(self.update_user)),
            web.post("/control/users/{user_id:-?\\d+}/messages", g(self.send_text)),
            web.post(
                "/control/users/{user_id:-?\\d+}/{kind:voice|audio|document}", g(self.send_file)
            ),
            web.post("/control/users/{user_id:-?\\d+}/location", g(self.share_location)),
            web.post("/control/users/{user_id:-?\\d+}/press", g(self.press)),
            web.get("/control/chats/{chat_id:-?\\d+}/events", g(self.events)),
            web.get("/control/chats/{chat_id:-?\\d+}/faults", g(self.get_faults)),
            web.post("/control/chats/{chat_id:-?\\d+}/faults", g(self.set_faults)),
            web.put("/control/chats/{chat_id:-?\\d+}/faults", g(self.set_faults)),
            web.delete("/control/chats/{chat_id:-?\\d+}/faults", g(self.clear_faults)),
            web.get("/control/files/{file_id}", g(self.file)),
        ]

    @staticmethod
    async def _body(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        try:
            body = await request.json()
        except ValueError as error:
            raise BotApiError(400, "body must be JSON") from error
        if not isinstance(body, dict):
            raise BotApiError(400, "body must be a JSON object")
        return body

    def _user_id(self, request: web.Request, key: str = "user_id") -> int:
        user_id = int(request.match_info[key])
        self.world.chat(user_id)
        return user_id

    async def health(self, request: web.Request) -> web.Response:
        """Say the sandbox is up, with a few counters."""
        return web.json_response(
            {
                "ok": True,
                "users": len(self.world.users),
                "pending_updates": len(self.world.updates),
                "webhook_url": self.webhook.url if self.webhook else None,
            }
        )

    async def bot(self, request: web.Request) -> web.Response:
        """Describe the bot and the commands a user of the given language sees."""
        language = request.query.get("language_code", "")
        info = self.world.bot.as_me()
        info["commands"] = self.world.commands.for_private_chat(language)
        return web.json_response(info)

    async def create_user(self, request: web.Request) -> web.Response:
        """Create a simulated user: {first_name, language_code} -> the user with user_id."""
        body = await self._body(request)
        first_name = str(body.get("first_name") or "").strip()
        if not first_name:
            raise BotApiError(400, "first_name is required")
        user = self.world.add_user(
            first_name[:64],
            str(body.get("language_code") or "en"),
            last_name=body.get("last_name") or None,
            username=body.get("username") or None,
        )
        return web.json_response(user.as_json(), status=201)

    async def create_users(self, request: web.Request) -> web.Response:
        """Create many users at once: {count, language_code}; answer {first_id, last_id}."""
        body = await self._body(request)
        count = int(body.get("count", 0))
        if not 1 <= count <= MAX_BULK_USERS:
            return _error(400, f"count must be between 1 and {MAX_BULK_USERS:,}")
        first, last = self.world.add_users(count, str(body.get("language_code", "en")))
        return web.json_response({"first_id": first, "last_id": last})

    async def counts(self, request: web.Request) -> web.Response:
        """How many messages the bot sent to each chat: {"chat_id": count}."""
        counts = self.world.bot_message_counts()
        return web.json_response({str(chat): count for chat, count in counts.items()})

    async def network(self, request: web.Request) -> web.Response:
        """Show or set the network: {latency_ms, send_rate} (PUT)."""
        if request.method == "PUT":
            body = await self._body(request)
            self.world.network.configure(
                latency_ms=float(body["latency_ms"]) if "latency_ms" in body else None,
                send_rate=int(body["send_rate"]) if "send_rate" in body else None,
            )
        return web.json_response(self.world.network.as_json())

    async def list_users(self, request: web.Request) -> web.Response:
        """List the simulated users."""
        return web.json_response({"users": [user.as_json() for user in self.world.users]})

    async def get_user(self, request: web.Request) -> web.Response:
        """Show one simulated user."""
        return web.json_response(self.world.user(self._user_id(request)).as_json())

    async def update_user(self, request: web.Request) -> web.Response:
        """Change a user's first_name or language_code."""
        user = self.world.user(self._user_id(request))
        body = await self._body(request)
        if body.get("first_name"):
            user.first_name = str(body["first_name"])[:64]
        if body.get("language_code"):
            user.language_code = str(body["language_code"])
        return web.json_response(user.as_json())

    def _sent(self, user_id: int, content: dict[str, Any]) -> web.Response:
        message, event = self.world.user_sends(user_id, content)
        payload = {
            "message_id": message["message_id"],
            "update_id": event["update_id"],
            "seq": event["seq"],
            "message": message,
            "event": event,
        }
        return web.json_response(payload, status=201)

    async def send_text(self, request: web.Request) -> web.Response:
        """Send text as the user: {text, reply_to_message_id?}."""
        user_id = self._user_id(request)
        body = await self._body(request)
        text = str(body.get("text") or "")
        if not text.strip():
            raise BotApiError(400, "text is empty")
        if len(text) > MAX_TEXT:
            raise BotApiError(400, "text is longer than 4096 characters")
        content = _text_content(text)
        reply_to = body.get("reply_to_message_id")
        stored = self.world.message(user_id, int(reply_to)) if reply_to else None
        if stored is not None:
            content["reply_to_message"] = stored.message
        return self._sent(user_id, content)

    async def send_file(self, request: web.Request) -> web.Response:
        """Send a voice, audio or document as the user (multipart: file, mime_type, duration)."""
        user_id = self._user_id(request)
        kind = request.match_info["kind"]
        params = await Params.from_request(request)
        upload = params.get_file("file") or params.get_file(kind)
        if not isinstance(upload, Upload) or not upload.data:
            raise BotApiError(400, "a non-empty multipart part named 'file' is required")
        stored = self.world.files.add(
            upload.data,
            kind,
            mime_type=params.get_str("mime_type") or upload.content_type,
            file_name=params.get_str("file_name") or upload.filename,
            duration=params.get_int("duration"),
        )
        extra = {}
        if kind == "audio":
            extra = {"title": params.get_str("title"), "performer": params.get_str("performer")}
        content: dict[str, Any] = {kind: stored.as_media(**extra)}
        if caption := params.get_str("caption"):
            content["caption"] = caption
        return self._sent(user_id, content)

    async def share_location(self, request: web.Request) -> web.Response:
        """Share a location as the user: {latitude, longitude}."""
        user_id = self._user_id(request)
        body = await self._body(request)
        try:
            latitude, longitude = float(body["latitude"]), float(body["longitude"])
        except (KeyError, TypeError, ValueError) as error:
            raise BotApiError(400, "latitude and longitude are required numbers") from error
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise BotApiError(400, "latitude or longitude out of range")
        return self._sent(user_id, {"location": {"latitude": latitude, "longitude": longitude}})

    async def press(self, request: web.Request) -> web.Response:
        """Press an inline button: {message_id, callback_data} -> a callback_query update."""
        user_id = self._user_id(request)
        body = await self._body(request)
        try:
            message_id, data = int(body["message_id"]), str(body["callback_data"])
        except (KeyError, TypeError, ValueError) as error:
            raise BotApiError(400, "message_id and callback_data are required") from error
        event, update_id = self.world.user_presses(user_id, message_id, data)
        payload = {
            "callback_query_id": event["callback_query_id"],
            "update_id": update_id,
            "seq": event["seq"],
            "event": event,
        }
        return web.json_response(payload, status=201)

    async def events(self, request: web.Request) -> web.Response:
        """Return a chat's events after ?after=N, long-polling up to ?timeout=S seconds."""
        chat_id = self._user_id(request, "chat_id")
        try:
            after = int(request.query.get("after", "0"))
            wait = min(max(float(request.query.get("timeout", "0")), 0.0), MAX_EVENT_WAIT)
        except ValueError as error:
            raise BotApiError(400, "after and timeout must be numbers") from error
        events = await self.world.wait_events(chat_id, after, wait)
        last_seq = events[-1]["seq"] if events else max(after, 0)
        return web.json_response({"events": events, "last_seq": last_seq})

    async def get_faults(self, request: web.Request) -> web.Response:
        """Show the faults set for a chat."""
        return web.json_response(
            self.world.chat(self._user_id(request, "chat_id")).faults.as_json()
        )

    async def set_faults(self, request: web.Request) -> web.Response:
        """Set faults: {retry_after: N, count: K}, {blocked: true}, {voice_forbidden: true}."""
        chat_id = self._user_id(request, "chat_id")
        body = await self._body(request)
        faults = self.world.chat(chat_id).faults
        if "retry_after" in body:
            faults = self.world.set_retry_after(
                chat_id, int(body["retry_after"]), int(body.get("count", 1))
            )
        if "blocked" in body:
            faults = self.world.set_blocked(chat_id, bool(body["blocked"]))
        if "voice_forbidden" in body:
            faults.voice_forbidden = bool(body["voice_forbidden"])
        if "server_errors" in body:
            faults.server_errors = int(body["server_errors"])
        if "lost_answers" in body:
            faults.lost_answers = int(body["lost_answers"])
        return web.json_response(faults.as_json())

    async def clear_faults(self, request: web.Request) -> web.Response:
        """Clear all faults of a chat."""
        return web.json_response(
            self.world.clear_faults(self._user_id(request, "chat_id")).as_json()
        )

    async def file(self, request: web.Request) -> web.Response:
        """Return a stored file's bytes with its mime type, for the page to play."""
        stored = self.world.files.by_id(request.match_info["file_id"])
        if stored is None:
            raise BotApiError(404, "file not found")
        headers = {
            "Content-Type": stored.mime_type,
            "Cache-Control": "max-age=3600",
            # a user's upload is never a page of this site: downloaded, never sniffed or run
            "Content-Disposition": f'attachment; filename="{stored.file_id}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        }
        return web.Response(body=stored.data, headers=headers)
