"""Long-running modes of the `komek` command, as coroutines: run, bot, sandbox, chat."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from typing import TextIO

import structlog
from aiogram import Bot, Dispatcher

from alerts.fanout.worker import run_worker
from bot.assembly import build_dialogue
from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import Reply, Turn
from bot.telegram.app import (
    WEBHOOK_PATH,
    build_bot,
    build_dispatcher,
    publish_commands_in_background,
    run_polling,
    webhook_app,
)
from bot.telegram.outbox import Outbox, every
from bot.telegram.sender import ReplySender
from bot.telegram.voice_refusals import VoiceRefusals
from cli.alerts_runtime import telegram_bot
from cli.assembly import App, assembled
from cli.start import load_settings as load_settings  # re-exported; cli.start is lighter
from cli.start import migrated_sessions as migrated_sessions
from core.heap import freeze_startup_heap
from core.profile import Language
from core.settings import Settings
from sandbox.app import SandboxServer

log = structlog.get_logger(__name__)

SANDBOX_TOKEN = "1000000001:komek-sandbox-not-a-secret"  # noqa: S105 - the sandbox accepts any
TERMINAL_USER_ID = -1
"""The terminal chat's person; negative, so it never collides with a Telegram user id."""


@asynccontextmanager
async def dialogue_for(settings: Settings) -> AsyncIterator[Dialogue]:
    """The database migrated to the newest revision, and a dialogue on the process's services."""
    async with assembled(settings, voice=True) as app:
        yield await _dialogue(app)


async def _dialogue(app: App) -> Dialogue:
    dialogue = build_dialogue(
        app.settings,
        app.sessions,
        app.clock,
        catalogs=app.catalogs,
        voice=app.voice,
        bookings=app.bookings,
    )
    await app.bookings.seed_providers()
    return dialogue


async def run_bot(settings: Settings, token: str) -> None:
    """`komek bot`: the Telegram bot; alerts go to the workers when Redis is set."""
    async with assembled(settings, voice=True) as app:
        await serve_bot(app, await _dialogue(app), token, settings.telegram_api_url)


async def serve_bot(
    app: App,
    dialogue: Dialogue,
    token: str,
    api_url: str | None,
    *,
    sandbox_url: str | None = None,
    announce_console: Callable[[str], None] | None = None,
) -> None:
    """Run the Telegram bot: long polling, or a webhook server when a webhook URL is set
    (never on the sandbox).

    With `announce_console`, the staff console runs in this process too, on the same alerts.
    Embedded (no Redis), this process also sends alerts and runs the periodic jobs.
    """
    settings = app.settings
    bot = build_bot(token, api_url)
    dispatcher = build_dispatcher(dialogue)
    # Reminders are queued by the periodic jobs (here when embedded, else `komek scheduler`).
    tick = outbox_tick(dialogue, bot)
    commands = publish_commands_in_background(
        bot, app.catalogs, Language(settings.default_language)
    )
    background = [
        asyncio.create_task(commands),  # beside polling: a flaky Bot API costs only the menu
        asyncio.create_task(every(settings.outbox_seconds, tick)),
    ]
    try:
        async with (
            app.alerts(bot=bot, sandbox_url=sandbox_url) as alerts,
            app.own_jobs(alerts),
            AsyncExitStack() as stack,
        ):
            if announce_console is not None:
                url = await stack.enter_async_context(app.console_server(alerts))
                announce_console(url)
            freeze_startup_heap()
            webhook_url = None if sandbox_url is not None else settings.webhook_url
            await _serve(settings, webhook_url, dispatcher, bot)
    finally:
        for task in background:
            task.cancel()


async def run_console(settings: Settings, announce: Callable[[str], None]) -> None:
    """`komek console`: the staff console; alerts go to the workers when Redis is set."""
    async with assembled(settings, voice=True) as app:
        await app.bookings.seed_providers()
        async with (
            telegram_bot(settings, wanted=app.embedded) as bot,
            app.alerts(bot=bot) as alerts,
            app.own_jobs(alerts),
            app.console_server(alerts) as url,
        ):
            announce(_console_banner(url))
            freeze_startup_heap()
            await asyncio.Event().wait()


def _console_banner(url: str) -> str:
    return (
        f"Staff console at {url}/ . No account yet? Create the first admin with:\n"
        "  komek users create NAME --roles admin,dispatcher,approver,coordinator"
    )


async def run_alert_worker(settings: Settings, *, ticks: bool = True) -> None:
    """`komek worker`: send alert batches handed out through Redis, until stopped.

    `ticks=False` when `komek scheduler` escalates and sweeps for the whole deployment.
    """
    async with (
        telegram_bot(settings) as bot,
        assembled(settings, voice=True) as app,
        app.alerts(bot=bot, sends=True) as alerts,
    ):
        log.info("worker.started", redis=True, telegram=bot is not None)
        freeze_startup_heap()
        stop = asyncio.Event()
        with stop_signals(stop):
            await run_worker(
                alerts.fanout,
                alerts.sender,
                stop=stop,
                grace=settings.worker_grace_seconds,
                ticks=ticks,
            )


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_signals(stop: asyncio.Event) -> Iterator[None]:
    """Inside the block SIGTERM or Ctrl-C set `stop`, for the work to wind down by itself; a
    second one cancels at once. After it, they cancel again (as `run_until_stopped` set up)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None

    def on_signal() -> None:
        if stop.is_set():
            task.cancel()
        stop.set()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, on_signal)
    try:
        yield
    finally:
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, task.cancel)


def outbox_tick(dialogue: Dialogue, bot: Bot) -> Callable[[], Awaitable[None]]:
    """The outbox out: reminders and other messages to people that are due."""
    services = dialogue.services
    sender = ReplySender(refusals=VoiceRefusals(dialogue.sessions, services.clock))
    outbox = Outbox(dialogue.sessions, services.catalogs, services.clock, sender, services.voice)

    async def tick() -> None:
        await outbox.send_due(bot)

    return tick


async def _serve(
    settings: Settings, webhook_url: str | None, dispatcher: Dispatcher, bot: Bot
) -> None:
    if not webhook_url:
        await run_polling(dispatcher, bot)
        return
    from aiohttp import web

    assert settings.webhook_secret is not None  # the settings refuse a webhook without one
    secret = settings.webhook_secret.get_secret_value()
    runner = web.AppRunner(webhook_app(dispatcher, bot, secret))
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    url = webhook_url.rstrip("/") + WEBHOOK_PATH
    await bot.set_webhook(url, secret_token=secret, drop_pending_updates=False)
    log.info("bot.webhook_listening", port=settings.webhook_port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await bot.session.close()


async def run_everything(settings: Settings, announce: Callable[[str], None]) -> None:
    """`komek run`: the bot, on the sandbox when no Telegram token is set."""
    async with assembled(settings, voice=True) as app:
        dialogue = await _dialogue(app)
        engines = dialogue.services.voice.engines_line()
        await asyncio.to_thread(dialogue.services.voice.prepare)
        if settings.telegram_token is not None:
            announce(f"Kömek is running on Telegram. {engines}")
            token = settings.telegram_token.get_secret_value()
            await serve_bot(app, dialogue, token, settings.telegram_api_url)
            return
        async with SandboxServer(settings.sandbox_host, settings.sandbox_port) as sandbox:
            announce(f"Kömek is running. Open {sandbox.base_url}/ to chat with the bot. {engines}")
            await serve_bot(
                app,
                dialogue,
                SANDBOX_TOKEN,
                sandbox.base_url,
                sandbox_url=sandbox.base_url,
                announce_console=lambda url: announce(_console_banner(url)),
            )


async def run_sandbox(settings: Settings, announce: Callable[[str], None]) -> None:
    """`komek sandbox`: only the sandbox Bot API and its page, for a bot run elsewhere."""
    async with SandboxServer(settings.sandbox_host, settings.sandbox_port) as sandbox:
        announce(f"Sandbox Bot API at {sandbox.base_url} (any token is accepted).")
        await asyncio.Event().wait()


async def chat(settings: Settings, stdin: TextIO, stdout: TextIO) -> None:
    """`komek chat`: a conversation in the terminal through the same dialogue as Telegram."""
    async with dialogue_for(settings) as dialogue:
        loop = asyncio.get_running_loop()
        first = Turn(user_id=TERMINAL_USER_ID, text="/start")
        _show(await dialogue.handle(first), stdout)
        while True:
            stdout.write("> ")
            stdout.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            if not line.strip():
                continue
            reply = await dialogue.handle(Turn(user_id=TERMINAL_USER_ID, text=line.strip()))
            _show(reply, stdout)


def _show(reply: Reply, stdout: TextIO) -> None:
    for part in reply.parts:
        stdout.write(f"{part}\n")
    for button in reply.buttons:
        stdout.write(f"  [{button.label}]\n")
    stdout.write("\n")
    stdout.flush()


def run_until_stopped(main: Awaitable[None]) -> None:
    """Run a coroutine; Ctrl-C or SIGTERM stop it cleanly."""

    async def guarded() -> None:
        task = asyncio.ensure_future(main)
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, task.cancel)
        try:
            await task
        except asyncio.CancelledError:
            log.info("stopped")

    asyncio.run(guarded())
    sys.stdout.flush()
