"""Issue 20, finding 8: what a screen reader meets on the sandbox chat page. Each message says
its own language (Russian sent to a Kazakh profile is read with a Russian voice), only the
newest unanswered buttons take a Tab stop, "Kömek is typing…" is announced, and axe-core finds
no serious problem."""

from __future__ import annotations

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from playwright.async_api import Page, expect

from sandbox import SandboxClient, SandboxServer
from tests.console.harness import assert_accessible
from tests.servers.chromium import chromium


def buttons(*labels: str) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=label, callback_data=label) for label in labels]
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def tab_stops(page: Page) -> list[str]:
    """The text of every message button a Tab can reach, in page order."""
    stops: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=messages] button')]
            .filter((b) => b.tabIndex >= 0 && !b.disabled).map((b) => b.textContent)"""
    )
    return stops


async def test_messages_say_their_language_and_old_buttons_leave_the_tab_order(
    server: SandboxServer, client: SandboxClient, bot: Bot
) -> None:
    dana = await client.add_user("Dana", language_code="kk")
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True)  # only to inject axe-core
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(server.base_url + "/")
        bot_texts = page.locator("[data-testid=messages] li[data-sender=bot]").get_by_test_id(
            "message-text"
        )
        await expect(page.get_by_test_id("user-select")).to_have_value(str(dana.user_id))

        await bot.send_message(
            dana.user_id, "Сәлем! Қандай көмек керек?", reply_markup=buttons("Мәзір", "Көмек")
        )
        await bot.send_message(
            dana.user_id,
            "Вы записаны на завтра, 10:00. Подтвердить?",
            reply_markup=buttons("Да", "Нет"),
        )
        await bot.send_message(dana.user_id, "Жарайды, жазбадым.")
        await bot.send_message(dana.user_id, "Your booking is confirmed.")
        await expect(bot_texts).to_have_count(4)
        for index, lang in enumerate(["kk", "ru", "kk", "en"]):
            await expect(bot_texts.nth(index)).to_have_attribute("lang", lang)

        assert await tab_stops(page) == ["Да", "Нет"]  # only the newest question's buttons
        await bot.send_message(dana.user_id, "Қай күн?", reply_markup=buttons("Бүгін", "Ертең"))
        await expect(bot_texts).to_have_count(5)
        assert await tab_stops(page) == ["Бүгін", "Ертең"]
        await page.get_by_test_id("message-input").fill("ертең")
        await page.keyboard.press("Enter")
        await expect(page.locator("li[data-sender=user]")).to_have_count(1)
        assert await tab_stops(page) == []  # answered: typing in the box leads on
        await page.get_by_test_id("message-input").focus()
        await page.keyboard.press("Shift+Tab")
        assert await page.evaluate("document.activeElement.textContent") != "Ертең"

        status = page.get_by_test_id("bot-status")
        await expect(status).to_have_attribute("role", "status")
        await expect(status).to_have_attribute("aria-live", "polite")
        await bot.send_chat_action(dana.user_id, ChatAction.TYPING)
        await expect(status).to_have_text("Kömek is typing…")
        await bot.send_message(dana.user_id, "Готово. Запись подтверждена.")
        live = page.get_by_test_id("live-region").locator("p")
        await expect(live.last).to_contain_text("Запись подтверждена")
        await expect(live.last).to_have_attribute("lang", "ru")  # not the profile's kk
        await expect(status).to_have_text("")

        await assert_accessible(page)
        assert errors == []
        await context.close()
