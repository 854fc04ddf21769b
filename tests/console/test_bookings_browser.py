"""A coordinator in Kazakh, in Chromium with the keyboard: sees who booked what and where, shows
the address the interpreter comes to (an audited click) and writes to the person through the
bot (issue 21). axe-core finds no serious problem on the way."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, expect

from bookings.service import BookingService
from core import audit
from core.profile import Language
from tests.console.harness import PASSWORD, ConsoleHarness, assert_accessible
from tests.console.test_bookings_board import at, today, weekday_after
from tests.console.test_bookings_reach import person
from tests.console.test_staff_browser import tab_to

pytestmark = pytest.mark.browser

HOME = "Абай көшесі 10, 5-пәтер"


async def test_a_kazakh_coordinator_sees_where_and_writes_by_keyboard(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("saule", "coordinator", regions=("71",))  # Astana
    asel = await person(console, 8901, Language.KK, "deaf", "mobility")
    service = BookingService(console.ctx.sessions, console.ctx.clock)
    day = weekday_after(today(console), 2)
    event = await service.request(
        asel, "sign_interpreter", at(day, 10), 2, region="71", address=HOME
    )
    booking = event.booking.id
    words = console.ctx.catalogs
    subject = words.text(Language.KK, "console.bookings.subject", id=booking)
    context = await browser.new_context(
        bypass_csp=True,  # only so that axe-core can be injected
        locale="kk-KZ",
        viewport={"width": 1280, "height": 900},
    )
    try:
        page = await context.new_page()
        await page.goto(console.base_url + "/login")
        await page.locator("#username").fill("saule")
        await page.locator("#password").fill(PASSWORD)
        await page.get_by_role("button", name="Кіру").click()
        await page.wait_for_url(re.compile(r".*/(?!login).*"))
        await page.goto(console.base_url + "/bookings")
        row = page.locator(f"#booking-{booking}")
        await expect(row).to_contain_text("Ымдау тілі аудармашысы")
        await expect(row).to_contain_text("Қажеттері:")
        await expect(row).to_contain_text("Адам берген мекенжайда")
        await expect(row).not_to_contain_text(HOME)
        await assert_accessible(page)

        await tab_to(page, f"Мекенжайды көрсету {subject}")
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status").first).to_contain_text(
            f"{booking} жазылудың мекенжайы оның жолында көрсетілді."
        )
        await expect(row).to_contain_text(f"Мекенжай: {HOME}")
        await assert_accessible(page)

        box = page.get_by_label(f"{booking} жазылудағы адамға хабар")
        for _ in range(80):  # the page was loaded again: Tab from its top to the box
            await page.keyboard.press("Tab")
            if await box.evaluate("(node) => node === document.activeElement"):
                break
        await expect(box).to_be_focused()
        await page.keyboard.type("Аудармашы ертең сағат 10-да келеді.")
        await page.keyboard.press("Tab")
        assert (await page.evaluate("document.activeElement.textContent")).startswith(
            "Бот арқылы жіберу"
        )
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status").first).to_contain_text(
            f"{booking} жазылу туралы хабарыңыз адамға бот арқылы жіберілді."
        )
        await assert_accessible(page)
    finally:
        await context.close()
    async with console.ctx.sessions() as session:
        shown = await audit.entries(session, action="booking.address_shown")
        messaged = await audit.entries(session, action="booking.messaged")
    assert [e.subject for e in shown] == [f"booking:{booking}"]
    assert [e.subject for e in messaged] == [f"booking:{booking}"]
