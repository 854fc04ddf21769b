"""Signing in: sessions, wrong passwords and lockout, disabled accounts, CSRF, cookies."""

from __future__ import annotations

from html import unescape

import pytest
from argon2 import PasswordHasher
from playwright.async_api import Browser, expect
from sqlalchemy import select

from console.login_limit import LoginLimit
from core import audit
from core.clock import ManualClock
from core.i18n import Catalogs
from core.profile import Language
from core.staff.credentials import needs_rehash, verify_password
from core.staff.models import StaffUser
from tests.console.harness import (
    PASSWORD,
    ConsoleHarness,
    assert_accessible,
    browser_context,
    sign_in,
)

REFUSED = Catalogs.load().text(Language.EN, "console.login.refused")


async def test_sign_in_and_out(console: ConsoleHarness) -> None:
    await console.add_staff("aigul", "dispatcher")
    client = await console.client("aigul")
    home = await client.get("/")
    assert home.status == 200
    assert "Signed in as" in await home.text()
    cookie = next(c for c in client.http.cookie_jar if c.key == "komek_session")
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"].lower() == "strict"
    out = await client.post("/logout")
    assert out.status == 303
    again = await client.get("/")
    assert again.status == 303
    assert again.headers["Location"].startswith("/login")


async def test_a_hash_with_older_parameters_is_upgraded_at_sign_in(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("aigul", "dispatcher")
    older = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    async with console.ctx.sessions.begin() as session:
        user = await session.scalar(select(StaffUser).where(StaffUser.username == "aigul"))
        assert user is not None
        user.password_hash = older
    assert needs_rehash(older)

    assert (await (await console.client("aigul")).get("/")).status == 200
    async with console.ctx.sessions() as session:
        upgraded = await session.scalar(
            select(StaffUser.password_hash).where(StaffUser.username == "aigul")
        )
    assert upgraded is not None and upgraded != older and not needs_rehash(upgraded)
    assert verify_password(upgraded, PASSWORD)
    assert (await (await console.client("aigul")).get("/")).status == 200


async def test_wrong_passwords_slow_down_the_address(console: ConsoleHarness) -> None:
    clock = ManualClock()
    console.ctx.login_limit = LoginLimit(clock)
    await console.add_staff("berik", "dispatcher")
    client = await console.client()
    for _ in range(5):
        refused = await client.log_in("berik", "not the password at all")
        assert refused.status == 401
        assert REFUSED in unescape(await refused.text())
    # now each attempt from here waits, doubling: the right password must wait too
    waiting = await client.log_in("berik", PASSWORD)
    assert waiting.status == 429
    assert waiting.headers["Retry-After"] == "1"
    clock.tick(1)
    assert (await client.log_in("berik", PASSWORD)).status == 200
    async with console.ctx.sessions() as session:
        failed = await audit.entries(session, action="staff.login_failed")
    assert len(failed) == 5
    assert all("not the password" not in str(entry.details) for entry in failed)


async def test_a_disabled_account_cannot_sign_in(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "coordinator")
    signed_in = await console.client("dana")
    await console.ctx.accounts.set_active("dana", False, actor="test")
    assert (await signed_in.get("/")).status == 303  # its session ended
    client = await console.client()
    assert (await client.log_in("dana", PASSWORD)).status == 401


async def test_posts_without_the_csrf_token_are_refused(console: ConsoleHarness) -> None:
    await console.add_staff("erlan", "dispatcher")
    client = await console.client("erlan")
    assert (await client.post("/logout", csrf=False)).status == 403
    assert (await client.post("/logout", {"csrf_token": "forged"}, csrf=False)).status == 403
    assert (await client.get("/")).status == 200  # still signed in
    anonymous = await console.client()
    form = await anonymous.http.post(
        "/login", data={"username": "erlan", "password": PASSWORD}, allow_redirects=False
    )
    assert form.status == 403


async def test_next_never_leaves_the_site(console: ConsoleHarness) -> None:
    await console.add_staff("farida", "dispatcher")
    client = await console.client()
    async with client.http.get("/login") as form:
        text = await form.text()
    token = text.split('name="csrf_token" value="')[1].split('"')[0]
    response = await client.http.post(
        "/login",
        data={
            "username": "farida",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == "/"


@pytest.mark.browser
async def test_sign_in_page_in_the_browser(console: ConsoleHarness, browser: Browser) -> None:
    await console.add_staff("gulnar", "dispatcher,approver")
    async with browser_context(browser) as context:
        page = await context.new_page()
        await page.goto(console.base_url + "/")
        await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        await assert_accessible(page)
        await sign_in(page, console.base_url, "gulnar")
        await expect(page.get_by_text("Signed in as")).to_be_visible()
        await assert_accessible(page)
