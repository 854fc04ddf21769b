"""The web chat page works with the keyboard alone and announces the bot's replies."""

from __future__ import annotations

import os

import pytest
from aiogram import Dispatcher
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from playwright.async_api import Page, async_playwright, expect

from sandbox import SandboxServer
from tests.sandbox.conftest import make_bot
from tests.servers.chromium import CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM

pytestmark = pytest.mark.browser


async def focused_testid(page: Page) -> str | None:
    """Return the data-testid of the focused element."""
    testid = await page.evaluate("document.activeElement?.dataset?.testid ?? null")
    return None if testid is None else str(testid)


async def tab_until(page: Page, key: str, script: str, limit: int = 60) -> None:
    """Press Tab or Shift+Tab until a script about document.activeElement returns true."""
    for _ in range(limit):
        await page.keyboard.press(key)
        if await page.evaluate(
            f"(() => {{ const el = document.activeElement; return {script}; }})()"
        ):
            return
    raise AssertionError(f"{key} never reached an element where {script}")


async def test_keyboard_only_chat(server: SandboxServer, echo_bot: Dispatcher) -> None:
    if not HAVE_CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is required in CI")
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 320, "height": 800})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            await page.goto(server.base_url + "/")

            await tab_until(page, "Tab", "el.dataset.testid === 'new-user-name'")
            await page.keyboard.type("Aigerim")
            await page.keyboard.press("Tab")
            assert await focused_testid(page) == "new-user-language"
            await page.keyboard.press("ArrowUp")
            await page.keyboard.press("ArrowUp")
            await page.keyboard.press("Tab")
            assert await focused_testid(page) == "new-user-button"
            await page.keyboard.press("Enter")

            messages = page.get_by_test_id("messages")
            await expect(page.get_by_test_id("message-input")).to_be_focused()
            (user,) = server.world.users
            assert (user.first_name, user.language_code) == ("Aigerim", "kk")

            await page.keyboard.type("Сәлем, көмек керек")
            await page.keyboard.press("Enter")
            reply = messages.locator("li[data-sender=bot]").first
            await expect(reply).to_contain_text("Echo: Сәлем, көмек керек")
            await expect(reply).to_contain_text("Kömek")
            await expect(reply.get_by_test_id("message-text")).to_have_attribute("lang", "kk")
            live = page.get_by_test_id("live-region")
            await expect(live).to_have_attribute("aria-live", "polite")
            await expect(live).to_contain_text("Echo: Сәлем, көмек керек")
            await expect(page.get_by_test_id("message-input")).to_have_value("")

            other = make_bot(server.base_url)
            keyboard = InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="Yes", callback_data="yes")]]
            )
            await other.send_message(user.id, "Book it?", reply_markup=keyboard)
            await other.session.close()
            await expect(live).to_contain_text("Book it?")
            await tab_until(page, "Shift+Tab", "el.textContent === 'Yes'")
            await page.keyboard.press("Enter")
            await expect(messages).to_contain_text("pressed the button “Yes”")
            assert errors == []
        finally:
            await browser.close()
