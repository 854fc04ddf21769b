"""The composer in Chromium: with the mouse, then with the keyboard only; axe-core on each page."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from tests.alerts.broadcast import add_registrants
from tests.console.harness import (
    PASSWORD,
    ConsoleHarness,
    assert_accessible,
    browser_context,
    sign_in,
)

pytestmark = pytest.mark.browser

MAX_TABS = 250


async def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the control matching `selector` has the focus."""
    for _ in range(MAX_TABS):
        if await page.evaluate(
            "(s) => document.activeElement !== null && document.activeElement.matches(s)",
            selector,
        ):
            return
        await page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} never got the focus with the keyboard")


async def focus_is_visible(page: Page) -> bool:
    outline = await page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    return bool(outline[0] != "none" and outline[1] != "0px")


async def test_compose_with_the_mouse_and_approve_in_another_browser(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("aigul", "dispatcher")
    await console.add_staff("berik", "approver")
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "language": "kk"},
            {"telegram_chat_id": chats[1], "language": "ru", "region": "71"},  # Astana
        ],
    )
    async with browser_context(browser) as dispatcher_context:
        page = await dispatcher_context.new_page()
        await sign_in(page, console.base_url, "aigul")
        await page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
        await expect(page.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
        await assert_accessible(page)

        await page.get_by_role("link", name="New alert").click()
        await expect(page.get_by_role("heading", name="New alert")).to_be_visible()
        await page.get_by_label("Template").select_option(label="Fire")
        await page.get_by_role("button", name="Use this template").click()
        await expect(page.get_by_label("Headline (Kazakh)")).to_have_value("Жақын жерде өрт")
        await page.get_by_label("Real alert (Actual)").check()
        await page.get_by_label(re.compile(r"^Almaty \(")).check()
        await page.get_by_label("Headline (English)").fill("Fire at the market")
        status = page.locator("#preview-status")
        await expect(status).to_have_text(re.compile(r"Preview updated: people 1;"))
        await expect(page.locator("#preview")).to_contain_text("Fire at the market.")
        await assert_accessible(page)

        await page.get_by_role("button", name="Make the voice note in Kazakh").click()
        await expect(status).to_have_text("The voice note is ready to play.")
        voice = page.get_by_label("Voice note in Kazakh")
        assert (await voice.get_attribute("src") or "").startswith("blob:")

        await page.get_by_role("button", name="Continue to review").click()
        await page.wait_for_url(re.compile(r".*/alerts/\d+/review$"))
        alert_path = page.url.removeprefix(console.base_url).removesuffix("/review")
        await expect(page.get_by_text("You cannot approve this alert.")).to_be_visible()
        await assert_accessible(page)

    async with browser_context(browser) as approver_context:
        page = await approver_context.new_page()
        await sign_in(page, console.base_url, "berik")
        await page.goto(console.base_url + "/alerts")
        await page.get_by_role("link", name=f"Review alert {alert_path.rsplit('/', 1)[1]}").click()
        await expect(page.get_by_role("heading", name="Kazakh")).to_be_visible()
        await expect(page.get_by_text("Fire at the market.").first).to_be_visible()
        await assert_accessible(page)
        await page.get_by_role("button", name="Approve and send to 1 person").click()
        await page.wait_for_url(console.base_url + alert_path)
    await console.system.fanout.wait_idle()
    assert await console.sandbox.message_counts() == {chats[0]: 1}


async def test_compose_with_the_keyboard_only(console: ConsoleHarness, browser: Browser) -> None:
    await console.add_staff("dana", "dispatcher")
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "language": "en", "test_group": True},
            {"telegram_chat_id": chats[1], "language": "en"},
        ],
    )
    async with browser_context(browser) as context:
        page = await context.new_page()
        await page.goto(console.base_url + "/login")
        await page.keyboard.press("Tab")
        await tab_to(page, "#username")
        await page.keyboard.type("dana")
        await page.keyboard.press("Tab")
        await page.keyboard.type(PASSWORD)
        await page.keyboard.press("Enter")
        await page.wait_for_url(console.base_url + "/")

        await tab_to(page, 'nav a[href="/alerts"]')
        assert await focus_is_visible(page)
        await page.keyboard.press("Enter")
        await page.wait_for_url(console.base_url + "/alerts")
        await tab_to(page, 'a[href="/alerts/new"]')
        await page.keyboard.press("Enter")
        await page.wait_for_url(console.base_url + "/alerts/new")

        await tab_to(page, "#template-choice")
        await page.keyboard.press("ArrowDown")  # earthquake → flood
        await tab_to(page, ".template-picker button")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r".*template=flood"))
        await expect(page.get_by_label("Headline (English)")).to_have_value("Flood danger")

        await tab_to(page, "#status-Actual")
        await page.keyboard.press("ArrowDown")  # Actual → Exercise, checked as it moves
        await expect(page.get_by_label("Exercise (a drill)")).to_be_checked()
        await tab_to(page, "#headline_en")
        await page.keyboard.press("End")
        await page.keyboard.type(" on the river")
        await tab_to(page, 'input[name="regions"][value="75"]')
        await page.keyboard.press("Space")
        await expect(page.locator('input[name="regions"][value="75"]')).to_be_checked()
        await expect(page.locator("#preview-status")).to_have_text(
            re.compile(r"Preview updated: people 1;")
        )
        await expect(page.locator("#preview")).to_contain_text("This is a drill.")
        await expect(page.locator("#preview")).to_contain_text("only people in the test group")

        await tab_to(page, "#review-button")
        assert await focus_is_visible(page)
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r".*/alerts/\d+/review$"))
        await assert_accessible(page)
        await tab_to(page, "#approve-button")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r".*/alerts/\d+$"))
    await console.system.fanout.wait_idle()
    assert await console.sandbox.message_counts() == {chats[0]: 1}
    events = (await console.sandbox.events(chats[0]))["events"]
    assert events[0]["message"]["text"].startswith("This is a drill.")
    assert "Flood danger on the river." in events[0]["message"]["text"]
