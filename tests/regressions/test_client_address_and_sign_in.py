"""Issue 16, finding 5: the client address is the connection's peer unless a configured
reverse proxy forwards it; wrong passwords slow down their address, not the account's owner;
a locked account and an unknown one get the same answer.
"""

from __future__ import annotations

import dataclasses
from html import unescape

import aiohttp
from sqlalchemy import select

from console.login_limit import LoginLimit
from console.server import console_server
from core import audit
from core.clock import ManualClock
from core.i18n import Catalogs
from core.profile import Language
from core.staff.models import StaffUser
from tests.console.harness import PASSWORD, ConsoleHarness, StaffClient

REFUSED = Catalogs.load().text(Language.EN, "console.login.refused")


async def attempt(
    client: StaffClient, username: str, password: str, forwarded: str
) -> tuple[int, str]:
    async with client.http.get("/login") as form:
        html = await form.text()
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    async with client.http.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers={"X-Forwarded-For": forwarded},
        allow_redirects=False,
    ) as response:
        return response.status, unescape(await response.text())


def jar(url: str) -> aiohttp.CookieJar:
    """Cookies for the console on loopback (they are Secure outside development)."""
    return aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[url])


async def origins(console: ConsoleHarness) -> list[str | None]:
    async with console.ctx.sessions() as session:
        return [e.origin for e in await audit.entries(session, action="staff.login_failed")]


async def test_a_forged_forwarded_header_is_not_believed(console: ConsoleHarness) -> None:
    console.ctx.login_limit = LoginLimit(ManualClock())
    await console.add_staff("berik", "dispatcher")
    client = await console.client()
    answers = [
        await attempt(client, "berik", "wrong password here", f"203.0.113.{number}")
        for number in range(1, 7)
    ]
    # rotating the header does not give a fresh address: the sixth attempt waits
    assert [status for status, _ in answers] == [401] * 5 + [429]
    assert await origins(console) == ["127.0.0.1"] * 5


async def test_behind_a_trusted_proxy_strangers_do_not_lock_staff_out(
    console: ConsoleHarness,
) -> None:
    clock = ManualClock()
    settings = console.ctx.settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    ctx = dataclasses.replace(console.ctx, settings=settings, login_limit=LoginLimit(clock))
    await console.add_staff("dana", "dispatcher")
    async with (
        console_server(ctx, "127.0.0.1", 0) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar(url)) as http,
    ):
        stranger = StaffClient(http)
        # 20 anonymous attempts from one stranger behind the proxy, against dana and others
        for number in range(20):
            name = "dana" if number % 2 else f"nobody{number}"
            status, _ = await attempt(stranger, name, "guessing", "203.0.113.9")
            assert status in (401, 429)
        assert set(await origins(console)) == {"203.0.113.9"}
        # dana, at her own desk behind the same proxy, signs in at once
        status, _ = await attempt(stranger, "dana", PASSWORD, "198.51.100.5")
        assert status == 303


async def test_a_locked_account_and_an_unknown_one_get_the_same_answer(
    console: ConsoleHarness,
) -> None:
    settings = console.ctx.settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    ctx = dataclasses.replace(console.ctx, settings=settings, login_limit=LoginLimit(ManualClock()))
    await console.add_staff("gulnar", "approver")
    async with (
        console_server(ctx, "127.0.0.1", 0) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar(url)) as http,
    ):
        client = StaffClient(http)
        # many addresses, four tries each: the account itself backs off after 20
        for number in range(20):
            status, _ = await attempt(client, "gulnar", "guessing", f"192.0.2.{number // 4}")
            assert status == 401
        async with console.ctx.sessions() as session:
            user = await session.scalar(select(StaffUser).where(StaffUser.username == "gulnar"))
            assert user is not None and user.locked_until is not None
        locked = await attempt(client, "gulnar", PASSWORD, "198.51.100.7")
        unknown = await attempt(client, "nobody-here", PASSWORD, "198.51.100.8")
        assert locked[0] == unknown[0] == 401
        for _, html in (locked, unknown):
            assert REFUSED in html
            assert "locked" not in html.lower()
