"""The `komek` command: the processes here, every other command group imported when it is run."""

from __future__ import annotations

import asyncio
import sys
from typing import ClassVar

import typer

from cli.lazy_commands import LazyCommand, LazyGroup

# Help texts are the first lines of each module's own (tests/cli/test_start_up.py compares them).
COMMANDS: dict[str, LazyCommand] = {
    "nlu": LazyCommand(
        "cli.nlu_commands:nlu_app", "Language understanding: predict, evaluate, and teach."
    ),
    "content": LazyCommand(
        "cli.content_commands:content_app", "The knowledge base: articles and facts."
    ),
    "voice": LazyCommand("cli.voice_commands:voice_app", "Speech: synthesise and recognise."),
    "bookings": LazyCommand("cli.booking_commands:bookings_app", "Bookings, for coordinators."),
    "models": LazyCommand("cli.voice_commands:models_app", "Speech recognition models."),
    "alerts": LazyCommand(
        "cli.alerts_commands:alerts_app",
        "Emergency alerts: registration list, CAP documents, sending.",
    ),
    "users": LazyCommand("cli.staff_commands:users_app", "Staff accounts of the console."),
    "api-senders": LazyCommand(
        "cli.staff_commands:senders_app", "Alerting authorities that post CAP to /api/cap."
    ),
    "privacy": LazyCommand(
        "cli.privacy_commands:privacy_app",
        "Personal data: export and deletion on request, encryption at rest.",
    ),
    "retention": LazyCommand(
        "cli.retention_commands:retention_app",
        "Data retention: delete and anonymise personal data past its time.",
    ),
    # The name for `komek privacy export`.
    "export-my-data": LazyCommand(
        "cli.privacy_commands:export",
        "Everything stored about one person, as JSON (to give them on their request).",
    ),
}


class KomekGroup(LazyGroup):
    """The top-level group, with the command groups of COMMANDS imported on use."""

    lazy: ClassVar[dict[str, LazyCommand]] = COMMANDS


app = typer.Typer(
    cls=KomekGroup,
    help="Kömek: accessible assistant and emergency alerts.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
def run() -> None:
    """Everything in one process on SQLite; the local sandbox when no Telegram token is set."""
    from cli import runtime
    from cli.start import load_settings

    settings = load_settings()
    runtime.run_until_stopped(runtime.run_everything(settings, typer.echo))


@app.command()
def bot() -> None:
    """Only the Telegram bot (long polling, or a webhook when KOMEK_WEBHOOK_URL is set)."""
    from cli import runtime
    from cli.ops_server import with_ops
    from cli.start import load_settings

    settings = load_settings()
    if settings.telegram_token is None:
        typer.echo("KOMEK_TELEGRAM_TOKEN is not set. Use `komek run` for the local sandbox.")
        raise typer.Exit(2)

    token = settings.telegram_token.get_secret_value()

    async def main() -> None:
        await runtime.run_bot(settings, token)

    runtime.run_until_stopped(with_ops(settings, main, process="bot"))


@app.command()
def worker(
    ticks: bool = typer.Option(
        True, help="Also escalate and sweep; --no-ticks when `komek scheduler` runs."
    ),
) -> None:
    """An alert worker: sends batches handed out through Redis (KOMEK_REDIS_URL)."""
    from cli import runtime
    from cli.ops_server import with_ops
    from cli.start import load_settings

    settings = load_settings()
    if not settings.redis_url:
        typer.echo("KOMEK_REDIS_URL is not set: `komek run` sends alerts in its own process.")
        raise typer.Exit(2)

    async def main() -> None:
        await runtime.run_alert_worker(settings, ticks=ticks)

    runtime.run_until_stopped(with_ops(settings, main, process="worker"))


@app.command()
def scheduler() -> None:
    """Escalation, sweeps, reminders and clean-up, once per deployment (with KOMEK_REDIS_URL)."""
    from cli import runtime
    from cli.ops_server import with_ops
    from cli.scheduler import run_scheduler
    from cli.start import load_settings

    settings = load_settings()
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
    from cli import runtime
    from cli.start import load_settings

    runtime.run_until_stopped(runtime.run_console(load_settings(), typer.echo))


@app.command()
def sandbox() -> None:
    """Only the local Telegram sandbox (Bot API and web chat page)."""
    from cli import runtime
    from cli.start import load_settings

    runtime.run_until_stopped(runtime.run_sandbox(load_settings(), typer.echo))


@app.command()
def chat() -> None:
    """Talk to the bot in this terminal."""
    from cli import runtime
    from cli.start import load_settings

    asyncio.run(runtime.chat(load_settings(), sys.stdin, sys.stdout))


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Revision to upgrade to.")) -> None:
    """Apply database migrations."""
    from cli.start import load_settings
    from core.database import create_engine, current_revision, upgrade

    settings = load_settings()

    async def main() -> str | None:
        engine = create_engine(settings)
        try:
            await upgrade(engine, revision)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    typer.echo(f"Database is at revision {asyncio.run(main())}.")


if __name__ == "__main__":
    app()
