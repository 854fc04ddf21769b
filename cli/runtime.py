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

from bookings.notices import queue_reminders
from bookings.service import BookingService
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
from cli.alerts_runtime import TICK_SECONDS, alert_system, run_worker, telegram_bot
from cli.start import load_settings as load_settings  # re-exported; cli.start is lighter
from cli.start import migrated_sessions as migrated_sessions
from console.assembly import console_context
from console.server import console_server
from core.clock import SystemClock
from core.heap import freeze_startup_heap
from core.i18n import Catalogs
from core.profile import Language
from core.settings import Settings
from sandbox.app import SandboxServer
from voice.factory import build_voice

log = structlog.get_logger(__name__)

SANDBOX_TOKEN = "1000000001:komek-sandbox-not-a-secret"  # noqa: S105 - the sandbox accepts any
TERMINAL_USER_ID = -1
"""The terminal chat's person; negative, so it never collides with a Telegram user id."""


@asynccontextmanager
async def dialogue_for(settings: Settings) -> AsyncIterator[Dialogue]:
    """The database migrated to the newest revision, and a dialogue on it."""
    async with migrated_sessions(settings) as sessions:
        dialogue = build_dialogue(settings, sessions, SystemClock())
        await dialogue.services.bookings.seed_providers()
        yield dialogue


async def serve_bot(
    settings: Settings,
    dialogue: Dialogue,
    token: str,
    api_url: str | None,
    *,
    sandbox_url: str | None = None,
    announce_console: Callable[[str], None] | None = None,
) -> None:
    """Run the Telegram bot: long polling, or a webhook server when a webhook URL is set.

    With `announce_console`, the staff console runs in this process too, on the same alerts.
    """
    bot = build_bot(token, api_url)
    dispatcher = build_dispatcher(dialogue)
    services = dialogue.services
    embedded = not settings.redis_url
    # With Redis, `komek scheduler` queues the reminders; this process sends the outbox.
    tick = outbox_tick(dialogue, bot, reminders=embedded)
    commands = publish_commands_in_background(
        bot, Catalogs.load(), Language(settings.default_language)
    )
    background = [
        asyncio.create_task(commands),  # beside polling: a flaky Bot API costs only the menu
        asyncio.create_task(every(settings.outbox_seconds, tick)),
    ]
    async with alert_system(
        settings,
        dialogue.sessions,
        services.clock,
        bot=bot,
        catalogs=services.catalogs,
        voice=services.voice,
        sends=embedded,
        sandbox_url=sandbox_url,
    ) as alerts:
        if embedded:  # no separate workers: this process sends alerts and ticks escalation
            background.append(asyncio.create_task(alerts.fanout.run_ticks(TICK_SECONDS)))
        try:
            async with AsyncExitStack() as stack:
                if announce_console is not None:
                    ctx = console_context(
                        settings,
                        dialogue.sessions,
                        services.clock,
                        alerts=alerts.service,
                        bookings=services.bookings,
                        catalogs=services.catalogs,
                        voice=services.voice,
                    )
                    url = await stack.enter_async_context(
                        console_server(ctx, settings.console_host, settings.console_port)
                    )
                    announce_console(url)
                freeze_startup_heap()
                await _serve(settings, dispatcher, bot)
        finally:
            for task in background:
                task.cancel()


async def run_console(settings: Settings, announce: Callable[[str], None]) -> None:
    """`komek console`: the staff console; alerts go to the workers when Redis is set."""
    embedded = not settings.redis_url
    async with (
        migrated_sessions(settings) as sessions,
        telegram_bot(settings, wanted=embedded) as bot,
    ):
        clock = SystemClock()
        catalogs = Catalogs.load()
        voice = build_voice(settings)
        bookings = BookingService(sessions, clock)
        await bookings.seed_providers()
        async with alert_system(
            settings, sessions, clock, bot=bot, catalogs=catalogs, voice=voice, sends=embedded
        ) as alerts:
            ctx = console_context(
                settings,
                sessions,
                clock,
                alerts=alerts.service,
                bookings=bookings,
                catalogs=catalogs,
                voice=voice,
            )
            ticks = asyncio.create_task(alerts.fanout.run_ticks(TICK_SECONDS)) if embedded else None
            try:
                async with console_server(ctx, settings.console_host, settings.console_port) as url:
                    announce(_console_banner(url))
                    freeze_startup_heap()
                    await asyncio.Event().wait()
            finally:
                if ticks is not None:
                    ticks.cancel()


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
        migrated_sessions(settings) as sessions,
        alert_system(
            settings,
            sessions,
            SystemClock(),
            bot=bot,
            catalogs=Catalogs.load(),
            voice=build_voice(settings),
        ) as alerts,
    ):
        log.info("worker.started", redis=True, telegram=bot is not None)
        freeze_startup_heap()
        stop = asyncio.Event()
        with stop_signals(stop):
            await run_worker(alerts, stop=stop, grace=settings.worker_grace_seconds, ticks=ticks)


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


def outbox_tick(
    dialogue: Dialogue, bot: Bot, *, reminders: bool = True
) -> Callable[[], Awaitable[None]]:
    """Due reminders into the outbox (unless the scheduler does it), then the outbox out."""
    services = dialogue.services
    sender = ReplySender(refusals=VoiceRefusals(dialogue.sessions, services.clock))
    outbox = Outbox(dialogue.sessions, services.catalogs, services.clock, sender, services.voice)

    async def tick() -> None:
        if reminders:
            async with dialogue.sessions.begin() as session:
                await queue_reminders(services.bookings, session, services.clock.now())
        await outbox.send_due(bot)

    return tick


async def _serve(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> None:
    if not settings.webhook_url:
        await run_polling(dispatcher, bot)
        return
    from aiohttp import web

    assert settings.webhook_secret is not None  # the settings refuse a webhook without one
    secret = settings.webhook_secret.get_secret_value()
    runner = web.AppRunner(webhook_app(dispatcher, bot, secret))
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    url = settings.webhook_url.rstrip("/") + WEBHOOK_PATH
    await bot.set_webhook(url, secret_token=secret, drop_pending_updates=False)
    log.info("bot.webhook_listening", port=settings.webhook_port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await bot.session.close()


async def run_everything(settings: Settings, announce: Callable[[str], None]) -> None:
    """`komek run`: the bot, on the sandbox when no Telegram token is set."""
    async with dialogue_for(settings) as dialogue:
        engines = dialogue.services.voice.engines_line()
        await asyncio.to_thread(dialogue.services.voice.prepare)
        if settings.telegram_token is not None:
            announce(f"Kömek is running on Telegram. {engines}")
            token = settings.telegram_token.get_secret_value()
            await serve_bot(settings, dialogue, token, settings.telegram_api_url)
            return
        async with SandboxServer(settings.sandbox_host, settings.sandbox_port) as sandbox:
            announce(f"Kömek is running. Open {sandbox.base_url}/ to chat with the bot. {engines}")
            await serve_bot(
                settings.model_copy(update={"webhook_url": None}),
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
