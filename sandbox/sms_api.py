"""HTTP for the sandbox's SMS centre.

`/sms/` is what Kömek's sandbox SMS channel talks to, like an SMS gateway:
  POST /sms/messages {to, text, from?} → 201 {ok, message_id}; a fault's status otherwise.
  GET  /sms/inbound?offset=N&timeout=S → {ok, result: [{update_id, receipt | reply}]};
       like getUpdates, `offset` confirms everything before it and an empty queue is waited on.
`/control/sms/` is for tests and the page:
  GET  /control/sms/phones, /control/sms/events?after=N&timeout=S (the page's long-poll),
  GET  /control/sms/phones/{phone}/messages, POST …/replies {text},
  GET, PUT {count, status}, DELETE /control/sms/phones/{phone}/faults,
  GET, PUT /control/sms/settings {receipt_delay_ms}.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox.errors import BotApiError
from sandbox.sms import SmsCentre, SmsRefused

MAX_WAIT = 60.0
PHONE = "{phone:\\+?[0-9]{5,15}}"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(status: int, message: str) -> web.Response:
    headers = {"Retry-After": "1"} if status in (429, 503) else None
    return web.json_response({"ok": False, "error": message}, status=status, headers=headers)


def _guarded(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except SmsRefused as refusal:
            return _error(refusal.status, refusal.message)
        except BotApiError as error:
            return _error(error.status, error.description)
        except (KeyError, TypeError, ValueError) as error:
            return _error(400, f"invalid request: {error}")

    return guarded


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise TypeError("body must be a JSON object")
    return body


def _seconds(request: web.Request, name: str) -> float:
    return min(max(float(request.query.get(name, "0")), 0.0), MAX_WAIT)


class SmsApi:
    """The sandbox SMS centre's HTTP API, as an SMS gateway would offer it."""

    def __init__(self, centre: SmsCentre) -> None:
        self.centre = centre

    def routes(self) -> list[web.RouteDef]:
        g = _guarded
        phone = f"/control/sms/phones/{PHONE}"
        return [
            web.post("/sms/messages", g(self.send)),
            web.get("/sms/inbound", g(self.inbound)),
            web.get("/control/sms/phones", g(self.phones)),
            web.get("/control/sms/events", g(self.events)),
            web.get(f"{phone}/messages", g(self.messages)),
            web.post(f"{phone}/replies", g(self.reply)),
            web.get(f"{phone}/faults", g(self.faults)),
            web.put(f"{phone}/faults", g(self.faults)),
            web.delete(f"{phone}/faults", g(self.faults)),
            web.get("/control/sms/settings", g(self.settings)),
            web.put("/control/sms/settings", g(self.settings)),
        ]

    async def send(self, request: web.Request) -> web.Response:
        """Kömek sends an SMS."""
        body = await _body(request)
        sms = self.centre.send(str(body["to"]), str(body["text"]), str(body.get("from") or ""))
        payload = {"ok": True, "message_id": sms.message_id, "status": sms.status}
        return web.json_response(payload, status=201)

    async def inbound(self, request: web.Request) -> web.Response:
        """Receipts and replies for Kömek, long-polled like getUpdates."""
        offset = int(request.query.get("offset", "0"))
        limit = min(max(int(request.query.get("limit", "100")), 1), 100)
        items = await self.centre.inbound.take(offset, limit, _seconds(request, "timeout"))
        return web.json_response({"ok": True, "result": items})

    async def phones(self, request: web.Request) -> web.Response:
        return web.json_response({"phones": self.centre.phones()})

    async def events(self, request: web.Request) -> web.Response:
        """New SMS and status changes after ?after=N, long-polling up to ?timeout=S."""
        after = int(request.query.get("after", "0"))
        events = await self.centre.wait_events(after, _seconds(request, "timeout"))
        last_seq = events[-1]["seq"] if events else max(after, 0)
        return web.json_response({"events": events, "last_seq": last_seq})

    async def messages(self, request: web.Request) -> web.Response:
        """One phone's messages, both ways, oldest first."""
        found = self.centre.messages(request.match_info["phone"])
        return web.json_response({"messages": [sms.as_json() for sms in found]})

    async def reply(self, request: web.Request) -> web.Response:
        """The phone sends a text to Kömek: {text}."""
        body = await _body(request)
        sms = self.centre.reply(request.match_info["phone"], str(body.get("text") or ""))
        return web.json_response(sms.as_json(), status=201)

    async def faults(self, request: web.Request) -> web.Response:
        """Show, set ({count, status}) or clear the faults of a phone."""
        phone = request.match_info["phone"]
        if request.method == "PUT":
            body = await _body(request)
            self.centre.fail_next(phone, int(body.get("count", 1)), int(body.get("status", 503)))
        elif request.method == "DELETE":
            self.centre.clear_faults(phone)
        return web.json_response(self.centre.faults(phone).as_json())

    async def settings(self, request: web.Request) -> web.Response:
        """Show or set how long the sandbox waits before reporting a message delivered."""
        if request.method == "PUT":
            body = await _body(request)
            if "receipt_delay_ms" in body:
                self.centre.receipt_delay = max(0.0, float(body["receipt_delay_ms"]) / 1000)
        return web.json_response({"receipt_delay_ms": round(self.centre.receipt_delay * 1000)})
