"""Who may use which route: one guard on every route, deny by default.

Each route says who may use it with `@allow(Role...)` (staff with one of those roles, by
session cookie), `@allow(..., api=True)` (also CAP API senders, by bearer token) or `@public`.
A route without a rule is refused for everyone, so forgetting one cannot open a hole.
Every state-changing request made with a session cookie must carry the session's CSRF token,
in the form field `csrf_token` or the `X-CSRF-Token` header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from starlette.status import HTTP_401_UNAUTHORIZED, HTTP_403_FORBIDDEN

from console.context import context_of
from core.settings import Environment
from core.staff.credentials import same
from core.staff.roles import Role
from core.staff.sessions import Staff

SESSION_COOKIE = "komek_session"
LOGIN_CSRF_COOKIE = "komek_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ACCESS = "__komek_access__"

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


DEFAULT_MAX_BODY = 256 * 1024
"""The largest request body a route reads unless it says otherwise (forms are a few KiB)."""


@dataclass(frozen=True)
class Access:
    """Who may use a route, and how large a body it takes."""

    roles: frozenset[Role]
    public: bool = False
    api: bool = False
    max_body: int = DEFAULT_MAX_BODY


class NotLoggedIn(Exception):
    """No live session: pages send the browser to the login page, the API answers 401."""


def allow(
    *roles: Role, api: bool = False, max_body: int = DEFAULT_MAX_BODY
) -> Callable[[Endpoint], Endpoint]:
    """Staff with any of these roles may use the route (and CAP API senders, with `api`);
    a body larger than `max_body` bytes is refused with 413 while it streams in."""
    if not roles:
        raise ValueError("name at least one role; use @public for pages anyone may see")

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _ACCESS, Access(frozenset(roles), api=api, max_body=max_body))
        return endpoint

    return mark


def public(endpoint: Endpoint) -> Endpoint:
    """Anyone may use the route (the login page, health checks)."""
    setattr(endpoint, _ACCESS, Access(frozenset(), public=True))
    return endpoint


def access_of(endpoint: Callable[..., Any]) -> Access | None:
    rule: Access | None = getattr(endpoint, _ACCESS, None)
    return rule


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def secure_cookies(request: Request) -> bool:
    return context_of(request).settings.environment is not Environment.DEVELOPMENT


async def authenticate(request: Request, rule: Access) -> None:
    """Who is asking, and whether their role may use the route; reads no body.

    Run by `console.body_guard` before the body is read, and by `guard` when it did not run.
    """
    authorization = request.headers.get("authorization")
    if authorization is not None and rule.api:
        scheme, _, token = authorization.partition(" ")
        sender = None
        if scheme.lower() == "bearer" and token:
            sender = await context_of(request).accounts.api_senders.sender_for(token.strip())
        if sender is None:
            raise HTTPException(
                HTTP_401_UNAUTHORIZED,
                "a valid API token is needed",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.state.sender = sender
        request.state.authenticated = True
        return
    cookie = request.cookies.get(SESSION_COOKIE)
    staff = (
        await context_of(request).accounts.staff_sessions.session_staff(cookie) if cookie else None
    )
    if staff is None:
        raise NotLoggedIn
    if not staff.has(*rule.roles):
        raise HTTPException(HTTP_403_FORBIDDEN, "your role does not allow this")
    request.state.staff = staff
    request.state.authenticated = True


async def guard(request: Request) -> None:
    """The one check every route passes through (an app-wide dependency)."""
    refused: Exception | None = getattr(request.state, "refused", None)
    if refused is not None:
        raise refused  # found before the body was read (console.body_guard)
    route = request.scope.get("route")
    rule = access_of(route.endpoint) if route is not None else None
    if rule is None:
        raise HTTPException(HTTP_403_FORBIDDEN, "this address has no access rule")
    if rule.public:
        return
    if not getattr(request.state, "authenticated", False):
        await authenticate(request, rule)
    staff: Staff | None = getattr(request.state, "staff", None)
    if staff is None:
        return  # an API sender, by token
    if request.method not in SAFE_METHODS and not await _csrf_ok(request, staff.csrf_token):
        raise HTTPException(HTTP_403_FORBIDDEN, "the form is out of date; reload the page")


async def _csrf_ok(request: Request, expected: str) -> bool:
    sent: str | None = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and same(sent, expected)


def current_staff(request: Request) -> Staff:
    """The logged-in member of staff, for routes behind `@allow` (without `api`)."""
    staff: Staff | None = getattr(request.state, "staff", None)
    if staff is None:
        raise NotLoggedIn
    return staff


def actor_of(request: Request) -> str:
    """Who is acting, for the audit log: `staff:NAME` or `sender:NAME`."""
    staff: Staff | None = getattr(request.state, "staff", None)
    if staff is not None:
        return staff.actor
    sender: str | None = getattr(request.state, "sender", None)
    if sender is not None:
        return f"sender:{sender}"
    raise NotLoggedIn
