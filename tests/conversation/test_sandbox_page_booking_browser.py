"""Issue 20, finding 8, end to end: a whole booking with the keyboard alone on the sandbox chat
page, against the real bot. Russian replies say lang="ru" whatever the profile, each Tab
from the message box reaches only the buttons of the question being asked, and axe-core finds
no serious problem on the way."""

from __future__ import annotations

from playwright.async_api import Page, expect

from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.console.harness import assert_accessible
from tests.servers.chromium import chromium


async def reachable_buttons(page: Page) -> list[str]:
    """The message buttons a Tab can reach, in page order."""
    found: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=messages] button')]
            .filter((b) => b.tabIndex >= 0 && !b.disabled).map((b) => b.textContent)"""
    )
    return found


async def type_and_send(page: Page, text: str) -> None:
    await page.get_by_test_id("message-input").focus()
    await page.keyboard.type(text)
    await page.keyboard.press("Enter")


async def press_by_keyboard(page: Page, label: str) -> None:
    """From the message box, Shift+Tab back to a button of the newest question, then Enter."""
    await page.get_by_test_id("message-input").focus()
    for _ in range(12):
        await page.keyboard.press("Shift+Tab")
        if await page.evaluate("document.activeElement.textContent") == label:
            await page.keyboard.press("Enter")
            return
    raise AssertionError(f"Shift+Tab never reached the button {label!r}")


async def test_a_whole_booking_by_keyboard_on_the_sandbox_page(
    sandbox: SandboxServer, telegram: SandboxClient
) -> None:
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True)  # only to inject axe-core
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(sandbox.base_url + "/")
        await page.get_by_test_id("new-user-name").focus()
        await page.keyboard.type("Aigerim")
        await page.keyboard.press("Tab")
        await page.keyboard.press("ArrowUp")
        await page.keyboard.press("ArrowUp")  # English → Kazakh: the profile starts in Kazakh
        await page.keyboard.press("Tab")
        await page.keyboard.press("Enter")
        await expect(page.get_by_test_id("message-input")).to_be_focused()

        # A reply can come as two messages (the question's buttons on the second), so each
        # step is awaited by its text, not by what the newest message says at that moment.
        bot = page.locator("[data-testid=messages] li[data-sender=bot]")
        await type_and_send(page, "/start")
        await expect(bot.last.locator("button").first).to_be_visible()
        await press_by_keyboard(page, "2. Русский")
        await expect(bot.filter(has_text="Шаг 2 из 4")).to_have_count(1)
        await type_and_send(page, "1")  # text answers
        await expect(bot.filter(has_text="Шаг 3 из 4")).to_have_count(1)
        await type_and_send(page, "3, 6")  # deaf, moves with difficulty
        await expect(bot.filter(has_text="Шаг 4 из 4. Где вы живёте?")).to_have_count(1)
        await expect(bot.last.locator("button").first).to_be_visible()
        await press_by_keyboard(page, "20. город Шымкент")  # the region, by keyboard
        await expect(bot.filter(has_text="Сохранено: город Шымкент.")).to_have_count(1)
        await expect(bot.filter(has_text="Всё готово")).to_have_count(1)
        await expect(bot.filter(has_text="1. Записаться")).to_have_count(1)  # the menu after it

        await type_and_send(page, "хочу записаться на услугу")
        await expect(bot.filter(has_text="Что вам нужно?")).to_have_count(1)
        await expect(bot.last.locator("button").first).to_be_visible()
        services = await bot.last.locator("button").all_text_contents()
        assert await reachable_buttons(page) == services  # not the onboarding's old menus
        await press_by_keyboard(page, services[0])
        await expect(bot.filter(has_text="Шаг 1 из 4")).to_have_count(1)
        assert await reachable_buttons(page) == []  # answered
        await type_and_send(page, "завтра в 15:00")
        await expect(bot.filter(has_text="Шаг 2 из 4")).to_have_count(1)
        await type_and_send(page, "3")  # the region is known from onboarding: not asked
        await expect(bot.filter(has_text="Шаг 3 из 4. Куда к вам прийти?")).to_have_count(1)
        await type_and_send(page, "улица Абая 10, квартира 5")
        await expect(bot.filter(has_text="Записать?")).to_have_count(1)  # the read-back
        await expect(
            bot.filter(has_text="Где: город Шымкент, улица Абая 10, квартира 5")
        ).to_have_count(1)
        await expect(bot.last.locator("button").first).to_be_visible()
        question = await bot.last.locator("button").all_text_contents()
        assert await reachable_buttons(page) == question
        await assert_accessible(page)
        await press_by_keyboard(page, question[0])  # yes
        await expect(bot.filter(has_text="Записал:")).to_have_count(1)

        texts = bot.get_by_test_id("message-text")
        langs = await texts.evaluate_all("(nodes) => nodes.map((n) => n.lang)")
        assert langs[0] == "kk"  # the language question, asked in the profile's Kazakh
        assert set(langs[1:]) == {"ru"}, langs  # everything after it is Russian
        assert await reachable_buttons(page) == await bot.last.locator("button").all_text_contents()
        await assert_accessible(page)
        assert errors == []
        await context.close()
