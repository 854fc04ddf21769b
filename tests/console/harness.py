"""The console for tests: served on 127.0.0.1 with the real alert system and the sandbox.

`ConsoleHarness.client(name)` gives an aiohttp session signed in as that member of staff;
`axe(page)` runs axe-core (installed from npm into tests/node) in a Playwright page.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from playwright.async_api import Browser, BrowserContext, Page

from alerts.registry.regions import regions as all_regions
from cli.alerts_runtime import AlertSystem
from console.context import ConsoleContext
from core.staff.roles import Role, parse_roles
from sandbox.client import SandboxClient
from tests.conftest import need

PASSWORD = "correct horse battery staple"
AXE = Path(__file__).parents[1] / "node" / "node_modules" / "axe-core" / "axe.min.js"
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
_LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class ConsoleHarness:
    base_url: str
    ctx: ConsoleContext
    system: AlertSystem
    sandbox: SandboxClient
    sandbox_url: str
    _clients: list[aiohttp.ClientSession] = field(default_factory=list)

    async def add_staff(
        self,
        username: str,
        roles: str,
        password: str = PASSWORD,
        *,
        regions: tuple[str, ...] | None = None,
    ) -> None:
        """A member of staff; a coordinator serves every region unless `regions` says."""
        wanted = parse_roles(roles)
        await self.ctx.accounts.create(username, password, wanted, actor="test")
        if regions is None and Role.COORDINATOR in wanted:
            regions = tuple(sorted(region.code for region in all_regions()))
        if regions is not None:
            await self.ctx.accounts.set_regions(username, regions, actor="test")

    async def client(self, username: str | None = None, password: str = PASSWORD) -> StaffClient:
        """An HTTP client, signed in as `username` (not signed in when None)."""
        # The console sets Secure cookies outside development; this client is on loopback.
        jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[self.base_url])
        session = aiohttp.ClientSession(base_url=self.base_url, cookie_jar=jar)
        self._clients.append(session)
        client = StaffClient(session)
        if username is not None:
            response = await client.log_in(username, password)
            assert response.status == 200, f"{username} could not sign in: {response.status}"
        return client

    async def close(self) -> None:
        for session in self._clients:
            await session.close()


@dataclass
class StaffClient:
    http: aiohttp.ClientSession
    csrf: str = ""

    async def log_in(self, username: str, password: str) -> aiohttp.ClientResponse:
        async with self.http.get("/login") as form:
            token = _LOGIN_CSRF.search(await form.text())
        assert token is not None
        response = await self.http.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token.group(1)},
        )
        await response.read()
        await self.refresh_csrf()
        return response

    async def refresh_csrf(self) -> None:
        async with self.http.get("/", headers={"Accept": "text/html"}) as home:
            found = _CSRF.search(await home.text())
        self.csrf = found.group(1) if found else ""

    async def get(self, path: str, **kwargs: Any) -> aiohttp.ClientResponse:
        kwargs.setdefault("allow_redirects", False)
        headers = {"Accept": "text/html", **kwargs.pop("headers", {})}
        response = await self.http.get(path, headers=headers, **kwargs)
        await response.read()
        return response

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> aiohttp.ClientResponse:
        """A form post with the session's CSRF token (unless `csrf=False`)."""
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf
        kwargs.setdefault("allow_redirects", False)
        headers = {"Accept": "text/html", **kwargs.pop("headers", {})}
        response = await self.http.post(path, data=form, headers=headers, **kwargs)
        await response.read()
        return response


@asynccontextmanager
async def browser_context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile; CSP is bypassed only so that axe-core can be injected."""
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        await context.close()


async def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    await page.goto(base_url + "/login")
    await page.get_by_label("User name").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r".*/(?!login).*"))


async def axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.2 AA)."""
    need(AXE.exists(), "axe-core is not installed (make node-packages)")
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    violations: list[dict[str, Any]] = result
    return [v for v in violations if v["impact"] in ("serious", "critical")]


async def assert_accessible(page: Page) -> None:
    bad = await axe(page)
    assert not bad, "axe-core: " + json.dumps(bad, ensure_ascii=False, indent=1)


ALL_ROLES = ",".join(role.value for role in Role)
