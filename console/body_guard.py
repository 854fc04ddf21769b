"""Guard first, body second: who is asking is settled before a byte of the body is read.

FastAPI reads a route's form before its dependencies run, so the guard alone would let an
anonymous 1 GB upload reach a temporary file before the 401. This ASGI middleware finds the
route, checks the session or token and the role (`console.security.authenticate`), and
refuses a body larger than the route's limit (`@allow(..., max_body=...)`): at once when the
declared length is too big, and while it streams otherwise. A refused request goes on with
an empty body and no content type, so the route's own error page says why and nothing is
read or written.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import HTTPException
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console.security import DEFAULT_MAX_BODY, NotLoggedIn, access_of, authenticate

_STRIPPED = frozenset({b"content-type", b"content-length", b"transfer-encoding"})


def too_large(limit: int) -> HTTPException:
    size = f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
    return HTTPException(413, f"the request is larger than {size}")


class BodyGuard:
    """Refuses request bodies over each route's size limit before they are read."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = None
        for context in iter_route_contexts(self.routes):
            route = context.original_route
            if isinstance(route, APIRoute) and _matches(context, scope):
                rule = access_of(route.endpoint)
                break
        limit = rule.max_body if rule is not None else DEFAULT_MAX_BODY
        refused: Exception | None = None
        if rule is not None and not rule.public:
            try:
                await authenticate(Request(scope), rule)
            except (HTTPException, NotLoggedIn) as error:
                refused = error
        declared = Request(scope).headers.get("content-length", "")
        if refused is None and declared.isdigit() and int(declared) > limit:
            refused = too_large(limit)
        if refused is not None:
            scope.setdefault("state", {})["refused"] = refused
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k not in _STRIPPED]
            await self.app(scope, _nothing, send)
            return
        await self.app(scope, _limited(receive, limit), send)


def _matches(context: RouteContext, scope: Scope) -> bool:
    route = context.original_route
    assert isinstance(route, APIRoute)
    if scope["method"] not in (route.methods or ()) and not (
        scope["method"] == "HEAD" and "GET" in (route.methods or ())
    ):
        return False
    return context.path_regex.fullmatch(get_route_path(scope)) is not None


async def _nothing() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _limited(receive: Receive, limit: int) -> Receive:
    read = 0

    async def counted() -> Message:
        nonlocal read
        message = await receive()
        if message["type"] == "http.request":
            read += len(message.get("body", b""))
            if read > limit:
                raise too_large(limit)
        return message

    return counted
