"""The acceptance of the conversation, in Chromium: a deaf person writes an emergency in the
sandbox chat to the real bot; a dispatcher sees their words in the inbox, takes the request,
writes; the person answers; the answer appears on the dispatcher's page without a reload; the
dispatcher ends the conversation. axe-core finds no serious problem on the way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiogram import Bot
from playwright.async_api import Browser, expect
from sqlalchemy import select

from bot.dialogue.engine import Dialogue
from bot.telegram.app import build_bot, build_dispatcher
from bot.telegram.outbox import Outbox
from bot.telegram.sender import ReplySender
from core.models import HandoverRequest
from sandbox.sim_user import message_text
from tests.console.conftest import TOKEN
from tests.console.harness import ConsoleHarness, assert_accessible, browser_context, sign_in
from tests.console.test_staff_browser import tab_to

pytestmark = pytest.mark.browser

WORDS = "Пожар на пятом этаже, я на шестом, не могу найти трость"
ANSWER = "Я в квартире 61, дверь заперта снаружи"


@asynccontextmanager
async def running_bot(
    console: ConsoleHarness, dialogue: Dialogue
) -> AsyncIterator[tuple[Outbox, Bot]]:
    """The real bot polling the console's sandbox; yields its outbox, sent by hand."""
    bot = build_bot(TOKEN, console.sandbox_url)
    dispatcher = build_dispatcher(dialogue, ReplySender())
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    outbox = Outbox(console.ctx.sessions, console.ctx.catalogs, console.ctx.clock, ReplySender())
    try:
        yield outbox, bot
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 10)
        await bot.session.close()


async def test_a_dispatcher_talks_with_a_deaf_person(
    console: ConsoleHarness, browser: Browser, dialogue: Dialogue
) -> None:
    await console.add_staff("aigul", "dispatcher")
    user = await console.sandbox.add_user("Aizhan", "ru")
    async with running_bot(console, dialogue) as (outbox, bot):
        await user.send_text(WORDS)
        told = await user.wait_for_bot_messages(3, timeout=20)
        assert "112" in " ".join(message_text(m) for m in told)
        async with console.ctx.sessions() as session:
            request = (await session.scalars(select(HandoverRequest))).one()
        async with browser_context(browser) as context:
            page = await context.new_page()
            await sign_in(page, console.base_url, "aigul")
            # the dispatcher works in Russian: chosen once for the account, in the header
            await page.locator("#console-language").select_option("ru")
            await page.locator(".language-choice button").click()
            await expect(page.locator("html")).to_have_attribute("lang", "ru")
            await page.goto(console.base_url + "/inbox")
            row = page.locator(f"#request-{request.id}")
            await expect(row).to_contain_text(WORDS)
            await expect(row).to_contain_text("Русский")
            await assert_accessible(page)
            await tab_to(page, f"Взять просьбу о помощи {request.id}")
            await page.keyboard.press("Enter")
            await expect(
                page.get_by_role("heading", name=f"Просьба о помощи {request.id}")
            ).to_be_visible()
            await expect(page.locator("#thread")).to_contain_text(WORDS)
            await expect(page.locator("#talk-state")).to_contain_text("идёт разговор с человеком")
            await assert_accessible(page)

            box = page.get_by_label(f"Сообщение человеку из просьбы {request.id}")
            await box.fill("Оставайтесь в квартире, закройте дверь мокрой тканью. Мы едем.")
            await page.keyboard.press("Tab")
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("status").first).to_contain_text("ушёл человеку")
            assert await outbox.send_due(bot) == 2
            heard = await user.wait_for_bot_messages(2, timeout=60)
            assert message_text(heard[0]).startswith("Вам пишет диспетчер 112, aigul.")
            assert "Мы едем." in message_text(heard[1])

            # the page is not reloaded: the words come by SSE. "Locked in" may be read as
            # danger: the emergency answer then comes first, and says the dispatcher has them.
            await user.send_text(ANSWER)
            said = ""
            for _ in range(4):
                (reply,) = await user.wait_for_bot_messages(1, timeout=60)
                said = message_text(reply)
                if "диспетчеру aigul" in said:
                    break
            assert "диспетчеру aigul" in said
            await expect(page.locator("#thread")).to_contain_text(ANSWER, timeout=10_000)
            await expect(page.locator("#thread-news")).to_contain_text(ANSWER)
            await assert_accessible(page)

            await tab_to(page, f"Закончить разговор с человеком из просьбы {request.id}")
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("status").first).to_contain_text("Разговор окончен")
            assert await outbox.send_due(bot) == 1
            (ended,) = await user.wait_for_bot_messages(1, timeout=60)
            assert "Разговор закончен" in message_text(ended)
            await assert_accessible(page)
