"""Following an alert in Chromium: live updates without reloading, axe-core, keyboard only."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.async_api import Browser, Page, expect

from alerts.acks import Acks
from alerts.models import Answer, Registrant
from tests.alerts.broadcast import add_registrants
from tests.console.harness import ConsoleHarness, assert_accessible, browser_context, sign_in
from tests.console.test_follow import receive, send

pytestmark = pytest.mark.browser


async def tab_to(page: Page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's text or label is `name`."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return "";
                if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
                return (el.getAttribute("aria-label") || el.textContent || "").trim();
            }"""
        )
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


async def focus_is_visible(page: Page) -> bool:
    style: str = await page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    return style not in ("", "none")


async def test_the_alert_page_updates_live_while_the_alert_is_sent(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("gulnar", "dispatcher,approver")
    chats = await console.sandbox.add_users(40)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chat} for chat in chats])
    alert_id = await receive(console)
    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "gulnar")
        await page.goto(f"{console.base_url}/alerts/{alert_id}")
        sent = page.locator('[data-cell="telegram.sent"]')
        await expect(sent).to_have_text("0")
        await expect(page.get_by_text("Live: these figures change on their own")).to_be_visible()
        await assert_accessible(page)
        await page.evaluate("() => { window.notReloaded = true; }")
        await page.evaluate(
            """() => {
                window.announced = [];
                const region = document.querySelector('[data-field="announcer"]');
                new MutationObserver(() => window.announced.push(
                    [Date.now(), region.textContent])).observe(region, {childList: true});
            }"""
        )

        await console.system.service.approve(alert_id, actor="staff:other-approver")
        await expect(sent).to_have_text("40", timeout=20_000)
        await expect(page.locator('[data-cell="total"]')).to_have_text("40")
        await expect(page.locator('[data-cell="answer.waiting"]')).to_have_text("40")
        await expect(page.locator('[data-field="state-changed"]')).to_be_visible()
        assert await page.evaluate("() => window.notReloaded === true")

        async with console.ctx.sessions.begin() as session:
            registrant = await session.get(Registrant, 1)
            assert registrant is not None
            await Acks(console.ctx.clock).answer(session, registrant, Answer.SAFE, via="button")
        await expect(page.locator('[data-cell="answer.safe"]')).to_have_text("1")
        # the screen reader hears a summary, after the quiet interval, not every change
        announcer = page.locator('[data-field="announcer"]')
        await expect(announcer).to_contain_text("40 of 40 messages sent", timeout=15_000)
        await expect(announcer).to_contain_text("1 safe", timeout=15_000)
        said = await page.evaluate("() => window.announced")
        times = [moment for moment, _ in said]
        assert all(later - earlier >= 9_500 for earlier, later in itertools.pairwise(times))
        await assert_accessible(page)


async def test_the_recipient_list_is_accessible_and_works_with_the_keyboard_alone(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("gulnar", "dispatcher")
    chats = list(await console.sandbox.add_users(3))
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": chat} for chat in chats] + [{"phone": "+77011234567"}],
    )
    alert_id = await send(console)
    async with console.ctx.sessions.begin() as session:
        registrant = await session.get(Registrant, 2)
        assert registrant is not None
        await Acks(console.ctx.clock).answer(session, registrant, Answer.HELP, via="button")

    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "gulnar")
        await page.goto(f"{console.base_url}/alerts/{alert_id}")
        await assert_accessible(page)
        await tab_to(page, "Everyone this alert reached")
        assert await focus_is_visible(page)
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(rf".*/alerts/{alert_id}/recipients$"))
        await expect(
            page.get_by_role("heading", name=f"Recipients of alert {alert_id}")
        ).to_be_visible()
        await expect(page.locator("tbody tr")).to_have_count(4)
        await assert_accessible(page)

        await tab_to(page, "Answer")
        assert await focus_is_visible(page)
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("ArrowDown")  # "I need help"
        await expect(page.get_by_label("Answer")).to_have_value("help")
        await tab_to(page, "Show recipients")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r".*answer=help.*"))
        await expect(page.locator("tbody tr")).to_have_count(1)
        await expect(page.locator("tbody")).to_contain_text("I need help")
        await assert_accessible(page)

        await tab_to(page, "Download these rows as CSV (1, opens in Excel)")
        assert await focus_is_visible(page)
        async with page.expect_download() as download_info:
            await page.keyboard.press("Enter")
        download = await download_info.value
        assert download.suggested_filename == f"alert-{alert_id}-recipients.csv"
        path = await download.path()
        text = path.read_bytes().decode("utf-8")
        assert text.startswith("\ufeff") and text.count("\r\n") == 2
