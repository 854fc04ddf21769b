"""The aiogram side: the Bot, the Dispatcher with our routers, long polling and webhooks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import structlog
from aiogram import Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import BotCommand
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.telegram.sender import ReplySender
from bot.telegram.session import JsonSession
from bot.telegram.voice_refusals import VoiceRefusals
from core.i18n import Catalogs
from core.profile import LANGUAGES, Language

if TYPE_CHECKING:  # the dialogue (and the NLU under it) loads only in a process that talks
    from bot.dialogue.engine import Dialogue

log = structlog.get_logger(__name__)

MENU_COMMANDS = ("start", "help", "language", "mode", "repeat", "human", "mydata", "forget")
WEBHOOK_PATH = "/telegram/webhook"


CONNECTIONS = 400
"""Simultaneous requests to the Bot API. A broadcast at 1,000 messages a second with a round
trip of 80-300 ms has 80-300 requests in flight; with fewer connections they queue, then
leave in bursts that Telegram answers with 429."""


def build_bot(token: str, api_url: str | None = None) -> Bot:
    """A Bot talking to Telegram, or to another Bot API server such as our sandbox."""
    if api_url:
        api = TelegramAPIServer.from_base(api_url)
        return Bot(token, session=JsonSession(api=api, limit=CONNECTIONS))
    return Bot(token, session=JsonSession(limit=CONNECTIONS))


def build_dispatcher(dialogue: Dialogue, sender: ReplySender | None = None) -> Dispatcher:
    """A Dispatcher whose handlers receive `dialogue` and `sender` by name."""
    from bot.handlers import routers

    if sender is None:
        refusals = VoiceRefusals(dialogue.sessions, dialogue.services.clock)
        sender = ReplySender(refusals=refusals)
    dispatcher = Dispatcher(dialogue=dialogue, sender=sender)
    for router in routers():
        dispatcher.include_router(router)
    return dispatcher


async def publish_commands(bot: Bot, catalogs: Catalogs, default: Language) -> None:
    """The command menu in each language, so Telegram shows it in the person's own."""
    for language, code in [*((lang, lang.value) for lang in LANGUAGES), (default, None)]:
        commands = [
            BotCommand(command=name, description=catalogs.text(language, f"command.{name}"))
            for name in MENU_COMMANDS
        ]
        await bot.set_my_commands(commands, language_code=code)


COMMANDS_RETRY_FIRST = 5.0
COMMANDS_RETRY_MOST = 600.0


async def publish_commands_in_background(
    bot: Bot,
    catalogs: Catalogs,
    default: Language,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Publish the command menus, retrying until the Bot API takes them.

    Run beside polling, never before it: a Bot API that answers 429, 5xx or does not know
    setMyCommands (some Bot API servers) costs the menu, not the bot. Waits what a 429 asks,
    else backs off from 5 s to 10 minutes.
    """
    delay = COMMANDS_RETRY_FIRST
    while True:
        try:
            await publish_commands(bot, catalogs, default)
        except TelegramRetryAfter as error:
            wait = float(error.retry_after)
        except Exception as error:  # 5xx, a network error, a method the server does not know
            log.warning("bot.commands_not_published", error=type(error).__name__, retry_in=delay)
            wait, delay = delay, min(delay * 2, COMMANDS_RETRY_MOST)
        else:
            log.info("bot.commands_published")
            return
        await sleep(wait)


async def run_polling(dispatcher: Dispatcher, bot: Bot) -> None:
    await bot.delete_webhook(drop_pending_updates=False)
    await dispatcher.start_polling(bot, handle_signals=False, close_bot_session=True)


def webhook_app(dispatcher: Dispatcher, bot: Bot, secret: str) -> web.Application:
    """An aiohttp app receiving Telegram's updates; requests without the secret get 401."""
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=secret).register(app, path=WEBHOOK_PATH)
    setup_application(app, dispatcher, bot=bot)
    return app
