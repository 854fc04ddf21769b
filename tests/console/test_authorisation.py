"""Who may use which address: every route of the console, for every role and for nobody.

The routes are read from the application itself, so a route added anywhere is covered the
moment it exists; only how to fill a path parameter is written here. For each route and
method: staff whose role the route allows are never refused, other staff get 403, a visitor
who is not signed in goes to the login page (401 for the API and for posts), and a route with
no rule at all is refused for everyone. Posts without the session's CSRF token are refused
even for those allowed. (A locked or disabled account cannot sign in: tests/console/test_login.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from console.app import create_app
from console.security import SAFE_METHODS, SESSION_COOKIE, Access, access_of, allow
from console.server import console_server
from core.staff.roles import Role
from tests.alerts.broadcast import SENDER
from tests.console.cap_documents import current
from tests.console.harness import PASSWORD, ConsoleHarness
from tests.regressions.authority_world import document

PATH_VALUES: dict[str, Callable[[Fixtures], str]] = {
    "alert_id": lambda fixtures: str(fixtures.alert_id),
    "language": lambda _: "ru",
}
"""How to fill a path parameter by its name; any other gets a dummy id of its type."""

STAFF = {
    "admin": frozenset({Role.ADMIN}),
    "dispatcher": frozenset({Role.DISPATCHER}),
    "approver": frozenset({Role.APPROVER}),
    "coordinator": frozenset({Role.COORDINATOR}),
    "no-role": frozenset[Role](),
}
REFUSALS = {
    "this address has no access rule": "no rule",
    "your role does not allow this": "role",
    "the form is out of date; reload the page": "csrf",
    "a valid API token is needed": "token",
    "sign in first": "sign in",
}
"""The guard's words when it refuses (console.security.guard), and what each refusal is.

A route may still answer 403 itself for a reason of its own (a dispatcher approving an
Actual alert alone); that is not the guard refusing the role, and is not counted as one."""


@dataclass(frozen=True)
class ConsoleRoute:
    path: str
    """With its parameters filled in."""
    method: str
    rule: Access | None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Answer:
    status: int
    location: str
    text: str

    @property
    def refusal(self) -> str | None:
        """Which of the guard's refusals this is, if it is one."""
        if self.status == 303 and self.location.startswith("/login?next="):
            return "sign in"
        if self.status not in (401, 403):
            return None
        return next((kind for words, kind in REFUSALS.items() if words in self.text), None)


@dataclass
class Fixtures:
    console: ConsoleHarness
    http: aiohttp.ClientSession
    alert_id: int
    sender_token: str
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Username: (session token, CSRF token)."""

    async def sign_in(self, username: str) -> tuple[str, str]:
        login = await self.console.ctx.accounts.staff_sessions.log_in(
            username, PASSWORD, origin="test"
        )
        self.sessions[username] = (login.token, login.staff.csrf_token)
        return self.sessions[username]

    async def session_of(self, username: str) -> tuple[str, str]:
        """A live session: some routes end it (signing out), so sign in again when needed."""
        token, csrf = self.sessions[username]
        if await self.console.ctx.accounts.staff_sessions.session_staff(token) is None:
            return await self.sign_in(username)
        return token, csrf

    async def call(
        self,
        route: ConsoleRoute,
        *,
        as_staff: str | None = None,
        csrf: bool = True,
        bearer: str | None = None,
    ) -> Answer:
        headers = {"Accept": "text/html"}
        data: dict[str, str] | None = None
        if as_staff is not None:
            token, csrf_token = await self.session_of(as_staff)
            headers["Cookie"] = f"{SESSION_COOKIE}={token}"
            if csrf and route.method not in SAFE_METHODS:
                headers["X-CSRF-Token"] = csrf_token
                data = {"csrf_token": csrf_token}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        if route.method not in SAFE_METHODS and data is None:
            data = {}
        async with self.http.request(
            route.method, route.path, headers=headers, data=data, allow_redirects=False
        ) as response:
            # Read the body only of refusals: a live progress page streams without end.
            text = await response.text() if response.status in (401, 403) else ""
            answer = Answer(response.status, response.headers.get("Location", ""), text)
            response.close()
        return answer


def console_routes(app: FastAPI, fixtures: Fixtures) -> list[ConsoleRoute]:
    """Every route and method of the application, path parameters filled in."""
    routes = []
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        if not isinstance(original, APIRoute):
            continue  # /static and the OpenAPI schema (see test_the_api_schema_is_public)
        path = str(context.path_format)
        for parameter in original.dependant.path_params:
            fill = PATH_VALUES.get(parameter.name)
            dummy = "1" if parameter.field_info.annotation is int else "no-such-thing"
            path = path.replace(f"{{{parameter.name}}}", fill(fixtures) if fill else dummy)
        endpoint = context.endpoint
        rule = access_of(endpoint) if endpoint is not None else None
        routes += [ConsoleRoute(path, method, rule) for method in sorted(context.methods or ())]
    return routes


@pytest.fixture
async def fixtures(console: ConsoleHarness) -> AsyncIterator[Fixtures]:
    for username, roles in STAFF.items():
        await console.ctx.accounts.create(username, PASSWORD, roles, actor="test")
    stored = await console.system.service.receive(current("matrix-1"), actor="staff:nobody-here")
    token = await console.ctx.accounts.api_senders.create(
        "matrix-sender", actor="test", cap_senders=[SENDER]
    )
    jar = aiohttp.DummyCookieJar()  # each request carries the cookie it means to
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(console.base_url, cookie_jar=jar, timeout=timeout) as http:
        found = Fixtures(console, http, stored.id, token)
        for username in STAFF:
            await found.sign_in(username)
        yield found


async def test_every_route_has_a_rule_and_keeps_to_it(fixtures: Fixtures) -> None:
    routes = console_routes(create_app(fixtures.console.ctx), fixtures)
    assert any(r.path == "/api/cap" for r in routes) and any(r.path == "/" for r in routes)
    review = {r.method: r.rule for r in routes if r.path == "/admin/review"}  # issue 15
    assert set(review) == {"GET", "POST"}
    assert all(rule is not None and rule.roles == {Role.ADMIN} for rule in review.values())
    reach_paths = {"/bookings/1/message", "/bookings/1/phone", "/bookings/1/address"}
    reach = {r.path: r.rule for r in routes if r.path in reach_paths}
    assert len(reach) == 3  # issue 21: a coordinator reaches the person who booked
    assert all(
        rule is not None and rule.roles == {Role.COORDINATOR, Role.ADMIN} for rule in reach.values()
    )
    language = [r for r in routes if r.path == "/language"]
    assert [(r.method, r.rule.roles if r.rule else None) for r in language] == [("POST", set(Role))]
    problems: list[str] = [f"{route}: no access rule" for route in routes if route.rule is None]
    for route in routes:
        problems += await _check_route(fixtures, route)
    assert not problems, "\n".join(problems)


async def _check_route(fixtures: Fixtures, route: ConsoleRoute) -> list[str]:
    rule = route.rule
    problems: list[str] = []

    def expect(who: str, answer: Answer, wanted: str | None) -> None:
        got = answer.refusal
        if got != wanted:
            problems.append(
                f"{route} as {who}: {answer.status} {answer.location} ({got or 'not refused'}),"
                f" expected {wanted or 'not refused'}"
            )

    for username, roles in STAFF.items():
        answer = await fixtures.call(route, as_staff=username)
        if rule is None:
            expect(username, answer, "no rule")
        elif rule.public or roles & rule.roles:
            expect(username, answer, None)
        else:
            expect(username, answer, "role")

    visitor = await fixtures.call(route)
    expect("a visitor", visitor, "no rule" if rule is None else None if rule.public else "sign in")

    if rule is not None and not rule.public:
        sender = await fixtures.call(route, bearer=fixtures.sender_token)
        expect("an API sender", sender, None if rule.api else "sign in")
        forged = await fixtures.call(route, bearer="forged-token")
        expect("a forged token", forged, "token" if rule.api else "sign in")
        allowed = next((name for name, roles in STAFF.items() if roles & rule.roles), None)
        if route.method not in SAFE_METHODS and allowed is not None:
            without = await fixtures.call(route, as_staff=allowed, csrf=False)
            expect(f"{allowed} without the CSRF token", without, "csrf")
    return problems


async def test_a_route_without_a_rule_is_refused_for_everyone(fixtures: Fixtures) -> None:
    app = create_app(fixtures.console.ctx)

    @app.get("/forgotten")
    async def forgotten() -> dict[str, str]:
        return {"secret": "leaked"}

    @app.post("/forgotten")
    async def forgotten_post() -> dict[str, str]:
        return {"secret": "changed"}

    @app.get("/remembered")
    @allow(Role.ADMIN)
    async def remembered() -> dict[str, str]:
        return {"secret": "for admins"}

    async with (
        console_server(fixtures.console.ctx, "127.0.0.1", 0, app=app) as url,
        aiohttp.ClientSession(url, cookie_jar=aiohttp.DummyCookieJar()) as http,
    ):
        fixtures.http = http
        for method in ("GET", "POST"):
            route = ConsoleRoute("/forgotten", method, None)
            for who in (*STAFF, None):
                answer = await fixtures.call(route, as_staff=who)
                assert (answer.status, answer.refusal) == (403, "no rule"), (method, who)
                assert "leaked" not in answer.text and "changed" not in answer.text
        kept = ConsoleRoute("/remembered", "GET", access_of(remembered))
        assert (await fixtures.call(kept, as_staff="admin")).status == 200
        assert (await fixtures.call(kept, as_staff="dispatcher")).refusal == "role"


async def test_the_api_schema_is_public_and_holds_only_the_api(fixtures: Fixtures) -> None:
    http = fixtures.http
    async with http.get("/api/openapi.json") as response:
        assert response.status == 200
        schema: dict[str, Any] = await response.json()
    app = create_app(fixtures.console.ctx)
    documented = {
        str(context.path_format)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and context.original_route.include_in_schema
    }
    assert set(schema["paths"]) == documented
    assert documented == {"/api/cap", "/api/alerts/{alert_id}", "/api/alerts/{alert_id}.cap"}
    # Swagger UI would need a CDN and an inline script, which the CSP forbids: no docs page.
    for path in ("/api/docs", "/docs", "/redoc", "/docs/oauth2-redirect"):
        async with http.get(path) as response:
            assert response.status == 404, path


RANK = {"Test": 1, "Exercise": 2, "Actual": 3}


async def test_references_across_senders_and_statuses(console: ConsoleHarness) -> None:
    """Who may name whose alert in <references>: only its owner, with a status as strong.

    Two API senders and the organisation (a dispatcher posting CAP with the session) each
    own an Actual, an Exercise and a Test alert; each of them then posts an Update or a
    Cancel of every one of those alerts, in every status. Taken (202) exactly when the
    poster owns the original and the status is at least as strong; an Actual follow-up then
    always waits for the approver. Otherwise 403, and nothing is stored.
    """
    accounts = console.ctx.accounts
    values = {"a": "a@senders.test", "b": "b@senders.test", "org": "console@komek.test"}
    tokens = {
        owner: await accounts.api_senders.create(
            f"sender-{owner}", actor="test", cap_senders=[value]
        )
        for owner, value in values.items()
        if owner != "org"
    }
    await console.add_staff("dispatcher", "dispatcher")
    staff = await console.client("dispatcher")

    async def post(owner: str, body: bytes) -> tuple[int, dict[str, Any]]:
        headers = {"Content-Type": "application/cap+xml"}
        if owner == "org":
            headers["X-CSRF-Token"] = staff.csrf
            http = staff.http
        else:
            headers["Authorization"] = f"Bearer {tokens[owner]}"
            http = (await console.client()).http
        async with http.post("/api/cap", data=body, headers=headers) as response:
            return response.status, await response.json()

    for owner, value in values.items():
        for status in RANK:
            code, body = await post(owner, document(f"{owner}-{status}", value, status=status))
            assert code == 202, body
    problems = []
    number = 0
    for poster, value in values.items():
        for owner, original_value in values.items():
            for original in RANK:
                for status in RANK:
                    number += 1
                    msg_type = "Cancel" if number % 2 else "Update"
                    follow_up = document(
                        f"follow-{number}",
                        value,
                        status=status,
                        msg_type=msg_type,
                        references=((original_value, f"{owner}-{original}"),),
                    )
                    code, body = await post(poster, follow_up)
                    allowed = poster == owner and RANK[status] >= RANK[original]
                    case = f"{poster} {msg_type} {status} of {owner}'s {original}"
                    if allowed and (
                        code != 202 or (status == "Actual") != (body["approval"] == "required")
                    ):
                        problems.append(f"{case}: {code} {body}")
                    if not allowed and code != 403:
                        problems.append(f"{case}: {code}, expected 403")
    assert not problems, "\n".join(problems)
