"""The inbox, the bookings board and the admin pages in Chromium: keyboard use and axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from core.profile import Language
from tests.console.harness import ConsoleHarness, assert_accessible, browser_context, sign_in
from tests.console.test_admin import OFFICE_LIST, cp1251
from tests.console.test_bookings_board import at, book, deaf_person, today, weekday_after
from tests.console.test_inbox import emergency, help_by_sms, person

pytestmark = pytest.mark.browser


async def focused_text(page: Page) -> str:
    text: str = await page.evaluate("(document.activeElement || document.body).textContent || ''")
    return " ".join(text.split())


async def tab_to(page: Page, name: str, most: int = 60) -> None:
    """Press Tab until the control with this text has the focus."""
    for _ in range(most):
        await page.keyboard.press("Tab")
        if await focused_text(page) == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


async def test_a_dispatcher_resolves_a_help_request(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("aigul", "dispatcher")
    someone = await person(console, 9001, Language.KK, "deaf")
    fire = await emergency(console, someone, "fire", place=True)
    await help_by_sms(console, "+77011234567")
    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "aigul")
        await page.goto(console.base_url + "/inbox")
        await expect(page.get_by_role("heading", name="Help inbox")).to_be_visible()
        await assert_accessible(page)
        box = page.get_by_label(f"Message for the person of request {fire}")
        await box.fill("Leave the building. We are coming.")
        await assert_accessible(page)
        await page.get_by_role("button", name=f"Send the message for request {fire}").click()
        await expect(page.get_by_role("status").first).to_contain_text(
            f"Your message for help request {fire} is on its way"
        )
        row = page.locator(f"#request-{fire}")
        await expect(row).to_contain_text("Taken by aigul")
        await page.get_by_role("button", name=f"Resolve help request {fire}").click()
        await expect(page.get_by_role("status").first).to_contain_text(
            f"Help request {fire} is resolved."
        )
        await expect(row).to_contain_text("Resolved by aigul")
        link = row.get_by_role("link", name=re.compile(r"^Map of request .*opens in a new tab"))
        assert await link.get_attribute("target") == "_blank"
        await assert_accessible(page)


async def test_a_coordinator_confirms_with_the_keyboard_only(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("dana", "coordinator")
    day = weekday_after(today(console), 2)
    booking = await book(console, await deaf_person(console, 9002), at(day, 10))
    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "dana")
        await page.goto(console.base_url + "/bookings")
        await assert_accessible(page)
        await tab_to(page, f"Confirm booking {booking}")
        outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # the focus can be seen
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status").first).to_contain_text(
            f"Booking {booking} is confirmed."
        )
        await expect(page.locator(f"#booking-{booking}")).to_contain_text("Confirmed")
        await assert_accessible(page)
        # declining without a reason: the problem is next to the field, which has the focus
        other = await book(console, await deaf_person(console, 9003), at(day, 11))
        await page.goto(console.base_url + "/bookings")
        await tab_to(page, f"Decline booking {other}")
        await page.keyboard.press("Enter")
        field = page.get_by_label(f"Reason for declining booking {other}")
        await expect(field).to_be_focused()
        await expect(field).to_have_attribute("aria-invalid", "true")
        await assert_accessible(page)


async def test_admin_pages_are_accessible(
    console: ConsoleHarness, browser: Browser, tmp_path: Path
) -> None:
    await console.add_staff("root", "admin")
    await console.add_staff("saule", "dispatcher")
    listed = tmp_path / "list.csv"
    listed.write_bytes(cp1251(OFFICE_LIST))
    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "root")
        await page.goto(console.base_url + "/admin/registry")
        await assert_accessible(page)
        await page.get_by_label("List file (CSV or XLSX)").set_input_files(str(listed))
        await page.get_by_label("Consent version").fill("2025-1")
        await page.get_by_role("button", name="Import").click()
        await expect(page.get_by_role("heading", name="Import report: list.csv")).to_be_visible()
        await expect(page.get_by_role("cell", name="not a valid phone number")).to_be_visible()
        await assert_accessible(page)

        await page.goto(console.base_url + "/admin/users")
        await page.get_by_text("Change saule").click()
        await assert_accessible(page)
        await page.get_by_label("User name").fill("erlan")
        await page.get_by_label("Coordinator: bookings").last.check()
        await page.get_by_label("Password", exact=True).fill("erlan-password-1")
        await page.get_by_label("Password again", exact=True).fill("erlan-password-1")
        await page.get_by_role("button", name="Create the user").click()
        problem = "A password must not contain the user name."
        await expect(page.locator("#new-password-problem")).to_contain_text(problem)
        await assert_accessible(page)

        for path, heading in (("/admin/audit", "Audit log"), ("/admin/settings", "Settings")):
            await page.goto(console.base_url + path)
            await expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            await assert_accessible(page)
