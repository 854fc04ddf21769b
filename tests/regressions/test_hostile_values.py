"""Issue 16, finding 6: wrong query values are a 422 with the page, never a 500; every
answer has the security headers; long words wrap; bidirectional controls do not reach the
console or recipients; the sandbox's control API answers only its own page, serves uploads
as downloads, and caps its bulk sizes.
"""

from __future__ import annotations

import contextlib
import dataclasses

import aiohttp
import pytest
from playwright.async_api import Browser

from alerts.cap.export import to_xml
from console.app import create_app
from console.security import public
from sandbox.app import SandboxServer
from tests.alerts.broadcast import add_registrants, alert
from tests.console.harness import ConsoleHarness, browser_context, sign_in
from tests.regressions.asgi_calls import Answer

HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/audit", "page=%C2%B2"),
        ("/admin/audit", "page=12345678901234567890"),
        ("/admin/audit", "from=9999-12-31"),
        ("/admin/audit", "to=9999-12-31"),
        ("/bookings", "from=9999-12-31"),
        ("/bookings", "to=0001-01-01"),
        ("/bookings", "from=%D9%A1%D9%A2"),
    ],
)
async def test_wrong_query_values_are_a_422_with_the_page(
    console: ConsoleHarness, path: str, query: str
) -> None:
    await console.add_staff("root", "admin,coordinator")
    client = await console.client("root")
    answer = await client.get(f"{path}?{query}")
    assert answer.status == 422, await answer.text()
    assert "Some filters were not used" in await answer.text()
    for name in HEADERS:
        assert name in answer.headers, name


async def test_a_server_error_has_the_security_headers(console: ConsoleHarness) -> None:
    app = create_app(console.ctx)

    @app.get("/boom")
    @public
    async def boom() -> None:
        raise RuntimeError("a bug")

    answered = await _answer_of(app)
    assert answered.status == 500
    for name in HEADERS:
        assert name in answered.headers, name


async def _answer_of(app: object) -> Answer:
    """The answer to GET /boom; the error is raised again after it, for the log."""
    found = Answer()

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            found.status = int(message["status"])  # type: ignore[call-overload]
            found.headers = {
                k.decode().lower(): v.decode()
                for k, v in message["headers"]  # type: ignore[attr-defined]
            }

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/boom",
        "raw_path": b"/boom",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"accept", b"text/html")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    with contextlib.suppress(RuntimeError):
        await app(scope, receive, send)  # type: ignore[operator]
    return found


async def test_bidirectional_controls_never_reach_people(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "dispatcher")
    (tester,) = await console.sandbox.add_users(1)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": tester, "test_group": True}])
    base = alert("bidi-1", status="Exercise")
    infos = tuple(
        dataclasses.replace(info, headline="\u202eSTRONG\u202c earthquake \u2066here\u2069")
        for info in base.infos
    )
    stored = await console.system.service.receive(
        to_xml(dataclasses.replace(base, infos=infos)), actor="staff:dana"
    )
    client = await console.client("dana")
    review = await client.get(f"/alerts/{stored.id}/review")
    html = await review.text()
    assert "STRONG earthquake here" in html
    assert not any(mark in html for mark in "\u202a\u202b\u202c\u202d\u202e\u2066\u2069")
    assert (await client.post(f"/alerts/{stored.id}/approve")).status == 303
    await console.system.fanout.wait_idle()
    events = (await console.sandbox.events(tester))["events"]
    texts = [e["message"]["text"] for e in events if e["kind"] == "bot_message"]
    assert texts and "STRONG earthquake here" in texts[0]
    assert "\u202e" not in texts[0]


async def test_a_long_unbroken_headline_wraps_on_the_review_page(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("erlan", "approver")
    base = alert("long-1")
    infos = tuple(dataclasses.replace(info, headline="W" * 3000) for info in base.infos)
    stored = await console.system.service.receive(
        to_xml(dataclasses.replace(base, infos=infos)), actor="staff:dana"
    )
    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "erlan")
        await page.goto(f"{console.base_url}/alerts/{stored.id}/review")
        width = await page.evaluate("document.documentElement.scrollWidth")
        viewport = await page.evaluate("document.documentElement.clientWidth")
    assert width <= viewport, (width, viewport)


async def test_the_sandbox_control_api_answers_only_its_own_page() -> None:
    async with SandboxServer("127.0.0.1", 0) as sandbox, aiohttp.ClientSession() as http:
        url = sandbox.base_url
        # a page on another site posting text/plain (a "simple" request)
        async with http.post(
            f"{url}/control/users",
            data='{"first_name": "x"}',
            headers={"Content-Type": "text/plain", "Origin": "http://evil.test"},
        ) as response:
            assert response.status == 403
        async with http.post(
            f"{url}/control/users",
            data='{"first_name": "x"}',
            headers={"Content-Type": "text/plain"},
        ) as response:
            assert response.status == 415
        async with http.post(
            f"{url}/control/users", json={"first_name": "Ann"}, headers={"Origin": url}
        ) as response:
            assert response.status == 201
            user_id = (await response.json())["user_id"]
        async with http.post(f"{url}/control/users/bulk", json={"count": 1_000_000}) as response:
            assert response.status == 400
        form = aiohttp.FormData()
        form.add_field(
            "file", b"<script>alert(1)</script>", filename="a.html", content_type="text/html"
        )
        async with http.post(f"{url}/control/users/{user_id}/document", data=form) as response:
            assert response.status == 201, await response.text()
            file_id = (await response.json())["message"]["document"]["file_id"]
        async with http.get(f"{url}/control/files/{file_id}") as response:
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response.headers["Content-Security-Policy"]
