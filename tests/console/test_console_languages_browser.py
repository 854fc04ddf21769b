"""The console pages in Kazakh and Russian in Chromium: the browser's language chooses
them, the page says its language, and axe-core finds no serious problem (issue 21)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, expect

from core.profile import Language
from tests.console.cap_documents import current
from tests.console.harness import ALL_ROLES, PASSWORD, ConsoleHarness, assert_accessible
from tests.console.test_bookings_board import at, book, today, weekday_after
from tests.console.test_follow import send
from tests.console.test_inbox import emergency, person

SIGN_IN = {"kk": "Кіру", "ru": "Войти"}
BOOKINGS = {"kk": "Жазылулар", "ru": "Записи"}
PAGES = (
    "/",
    "/bookings",
    "/inbox",
    "/alerts",
    "/admin/registry",
    "/admin/users",
    "/admin/audit",
    "/admin/settings",
    "/admin/review",
)


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_main_pages_in_the_browsers_language_pass_axe(
    console: ConsoleHarness, browser: Browser, language: str
) -> None:
    await console.add_staff("nurlan", ALL_ROLES)
    deaf = await person(console, 7401, Language.KK, "deaf")
    request = await emergency(console, deaf, "fire", place=True)
    alert = await send(console, "axe-1")
    update = await console.system.service.receive(
        current("axe-2", msg_type="Update", references=["axe-1"]), actor="staff:dana"
    )  # awaiting approval: its review page sets it beside the alert it changes (issue 16)
    await book(console, deaf, at(weekday_after(today(console), 2), 10))
    context = await browser.new_context(
        bypass_csp=True,  # only so that axe-core can be injected
        locale={"kk": "kk-KZ", "ru": "ru-RU"}[language],
        viewport={"width": 1280, "height": 900},
    )
    try:
        page = await context.new_page()
        await page.goto(console.base_url + "/login")
        await expect(page.locator("html")).to_have_attribute("lang", language)
        await assert_accessible(page)
        await page.locator("#username").fill("nurlan")
        await page.locator("#password").fill(PASSWORD)
        await page.get_by_role("button", name=SIGN_IN[language]).click()
        await page.wait_for_url(re.compile(r".*/(?!login).*"))
        alert_pages = (
            "/alerts/new",
            f"/alerts/{alert}",
            f"/alerts/{alert}/recipients",
            f"/alerts/{alert}/review",
            f"/alerts/{update.id}/review",
        )
        for path in (*PAGES, f"/inbox/{request}", *alert_pages):
            await page.goto(console.base_url + path)
            await expect(page.locator("html")).to_have_attribute("lang", language)
            await assert_accessible(page)
            if path == f"/alerts/{update.id}/review":
                await expect(page.locator("table.side-by-side")).to_be_visible()
        await page.goto(console.base_url + "/")
        await expect(page.get_by_role("link", name=BOOKINGS[language]).first).to_be_visible()
    finally:
        await context.close()
