"""A newcomer on the sandbox page: onboarding and a reply, with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.servers.chromium import chromium

pytestmark = pytest.mark.browser


async def tab_to(page: Page, condition: str, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused element meets a condition on `el`."""
    for _ in range(limit):
        await page.keyboard.press(key)
        if await page.evaluate(
            f"(() => {{ const el = document.activeElement; return {condition}; }})()"
        ):
            return
    raise AssertionError(f"focus never reached an element where {condition}")


async def press_button(page: Page, label: str) -> None:
    await tab_to(
        page, f"el.tagName === 'BUTTON' && el.textContent.trim() === {label!r}", "Shift+Tab"
    )
    await page.keyboard.press("Enter")


async def send(page: Page, text: str) -> None:
    await tab_to(page, "el.dataset.testid === 'message-input'")
    await page.keyboard.type(text)
    await page.keyboard.press("Enter")


async def test_onboarding_and_a_reply_by_keyboard(
    sandbox: SandboxServer, telegram: SandboxClient
) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(sandbox.base_url + "/")
        await tab_to(page, "el.dataset.testid === 'new-user-name'")
        await page.keyboard.type("Dana")
        await tab_to(page, "el.dataset.testid === 'new-user-button'")
        await page.keyboard.press("Enter")
        await expect(page.get_by_test_id("message-input")).to_be_focused()

        live = page.get_by_test_id("live-region")
        await page.keyboard.type("/start")
        await page.keyboard.press("Enter")
        await expect(live).to_contain_text("Step 1 of 4")
        await press_button(page, "3. English")
        await expect(live).to_contain_text("Step 2 of 4")
        await send(page, "text")
        await expect(live).to_contain_text("Step 3 of 4")
        await press_button(page, "8. Done")
        await expect(live).to_contain_text("Step 4 of 4")
        await press_button(page, "18. Astana")
        await expect(live).to_contain_text("All set")
        await send(page, "my data")
        await expect(live).to_contain_text("Language: English")
        await expect(live).to_contain_text("Where you live: Astana")
        assert errors == []
