"""The `komek` command."""

from __future__ import annotations

import asyncio
import sys

import typer

from cli import runtime
from cli.alerts_commands import alerts_app
from cli.booking_commands import bookings_app
from cli.content_commands import content_app
from cli.nlu_commands import nlu_app
from cli.ops_server import with_ops
from cli.privacy_commands import export as export_my_data
from cli.privacy_commands import privacy_app
from cli.retention_commands import retention_app
from cli.scheduler import run_scheduler
from cli.staff_commands import senders_app, users_app
from cli.voice_commands import models_app, voice_app
from core.database import create_engine, current_revision, upgrade

app = typer.Typer(help="Kömek: accessible assistant and emergency alerts.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(nlu_app, name="nlu")
app.add_typer(content_app, name="content")
app.add_typer(voice_app, name="voice")
app.add_typer(bookings_app, name="bookings")
app.add_typer(models_app, name="models")
app.add_typer(alerts_app, name="alerts")
app.add_typer(users_app, name="users")
app.add_typer(senders_app, name="api-senders")
app.add_typer(privacy_app, name="privacy")
app.add_typer(retention_app, name="retention")
app.command("export-my-data")(export_my_data)  # the name for `komek privacy export`


@app.command()
def run() -> None:
    """Everything in one process on SQLite; the local sandbox when no Telegram token is set."""
    settings = runtime.load_settings()
    runtime.run_until_stopped(runtime.run_everything(settings, typer.echo))


@app.command()
def bot() -> None:
    """Only the Telegram bot (long polling, or a webhook when KOMEK_WEBHOOK_URL is set)."""
    settings = runtime.load_settings()
    if settings.telegram_token is None:
        typer.echo("KOMEK_TELEGRAM_TOKEN is not set. Use `komek run` for the local sandbox.")
        raise typer.Exit(2)

    async def main() -> None:
        async with runtime.dialogue_for(settings) as dialogue:
            assert settings.telegram_token is not None
            token = settings.telegram_token.get_secret_value()
            await runtime.serve_bot(settings, dialogue, token, settings.telegram_api_url)

    runtime.run_until_stopped(with_ops(settings, main, process="bot"))


@app.command()
def worker(
    ticks: bool = typer.Option(
        True, help="Also escalate and sweep; --no-ticks when `komek scheduler` runs."
    ),
) -> None:
    """An alert worker: sends batches handed out through Redis (KOMEK_REDIS_URL)."""
    settings = runtime.load_settings()
    if not settings.redis_url:
        typer.echo("KOMEK_REDIS_URL is not set: `komek run` sends alerts in its own process.")
        raise typer.Exit(2)

    async def main() -> None:
        await runtime.run_alert_worker(settings, ticks=ticks)

    runtime.run_until_stopped(with_ops(settings, main, process="worker"))


@app.command()
def scheduler() -> None:
    """Escalation, sweeps, reminders and clean-up, once per deployment (with KOMEK_REDIS_URL)."""
    settings = runtime.load_settings()
    if not settings.redis_url:
        typer.echo(
            "KOMEK_REDIS_URL is not set: `komek run` and `komek console` do this work "
            "in their own process."
        )
        raise typer.Exit(2)

    async def main() -> None:
        await run_scheduler(settings)

    runtime.run_until_stopped(with_ops(settings, main, process="scheduler", queue_depth=True))


@app.command()
def console() -> None:
    """The staff console (web); with KOMEK_REDIS_URL alerts are sent by the workers."""
    runtime.run_until_stopped(runtime.run_console(runtime.load_settings(), typer.echo))


@app.command()
def sandbox() -> None:
    """Only the local Telegram sandbox (Bot API and web chat page)."""
    runtime.run_until_stopped(runtime.run_sandbox(runtime.load_settings(), typer.echo))


@app.command()
def chat() -> None:
    """Talk to the bot in this terminal."""
    asyncio.run(runtime.chat(runtime.load_settings(), sys.stdin, sys.stdout))


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Revision to upgrade to.")) -> None:
    """Apply database migrations."""
    settings = runtime.load_settings()

    async def main() -> str | None:
        engine = create_engine(settings)
        try:
            await upgrade(engine, revision)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    typer.echo(f"Database is at revision {asyncio.run(main())}.")
