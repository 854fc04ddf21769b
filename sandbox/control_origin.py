"""The control API answers only its own page: a request from another site is refused.

A page on any other site could otherwise make a visitor's browser post to the sandbox (a
"simple" cross-origin request needs no permission). Requests that change something must come
from this origin (or from no browser at all: tests and the command line send no Origin) and
carry JSON, or multipart for the routes that upload a file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_UPLOAD_KINDS = ("/voice", "/audio", "/document")


def _refused(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status)


@web.middleware
async def same_origin_json(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    if not request.path.startswith("/control/") or request.method not in _CHANGING:
        return await handler(request)
    origin = request.headers.get("Origin")
    own = f"{request.scheme}://{request.host}"
    if origin is not None and origin != own:
        return _refused(403, "the control API answers only its own page")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return _refused(403, "the control API answers only its own page")
    media = request.content_type
    uploads = request.path.endswith(_UPLOAD_KINDS)
    allowed = ("application/json", "multipart/form-data") if uploads else ("application/json",)
    if request.can_read_body and media not in allowed:
        return _refused(415, f"send {' or '.join(allowed)}")
    return await handler(request)
