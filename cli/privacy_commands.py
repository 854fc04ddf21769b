"""`komek privacy …` and `komek export-my-data`: a person's data on request, and the data key.

An operator handling somebody's request names the person by Telegram id or phone:
`export` writes everything stored about them as JSON, `delete` deletes it after a yes or no.
Both are audited with counts only. `new-key` prints a key for KOMEK_DATA_KEY, and
`encrypt-existing` encrypts what was stored before the key was set.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

import alerts.models
import bookings.models  # noqa: F401 - registers the tables encrypt-existing walks
from alerts import privacy as alerts_privacy
from alerts.registry.values import CellProblem, phone
from bookings import privacy as bookings_privacy
from bookings.catalog import load_catalog
from cli.start import load_settings, migrated_sessions
from core.clock import SystemClock
from core.encrypt_existing import encrypt_existing, tables_with_personal_data
from core.encryption import DataKeyError, new_key
from core.models import Base
from core.privacy_export import PersonalData, Subject

privacy_app = typer.Typer(
    help="Personal data: export and deletion on request, encryption at rest.",
    no_args_is_help=True,
)
T = TypeVar("T")

TelegramId = Annotated[
    int | None, typer.Option("--telegram-id", help="The person's Telegram user id.")
]
Phone = Annotated[
    str | None, typer.Option("--phone", help="The person's mobile phone, e.g. +77011234567.")
]
Actor = Annotated[str, typer.Option("--as", help="Who handles the request (audit log).")]
_ = alerts.models  # the registrant tables, for encrypt-existing


def _fail(message: object) -> typer.Exit:
    Console(stderr=True).print(f"[red]{message}[/red]", highlight=False)
    return typer.Exit(1)


def _request(telegram_id: int | None, phone_text: str | None) -> tuple[int | None, str | None]:
    """The Telegram id or the phone (E.164) a request names; exactly one of them."""
    if (telegram_id is None) == (phone_text is None):
        raise _fail("Name the person with --telegram-id or with --phone (one of them).")
    if phone_text is None:
        return telegram_id, None
    try:
        return None, phone(phone_text)
    except CellProblem as problem:
        raise _fail(f"--phone: {problem}") from None


def _on_subject(
    telegram_id: int | None,
    phone_text: str | None,
    work: Callable[[PersonalData, AsyncSession, Subject], Awaitable[T]],
) -> T:
    """Run `work` in one transaction on the person a request names."""
    named = _request(telegram_id, phone_text)
    data = PersonalData(
        SystemClock(), [bookings_privacy.section(load_catalog()), alerts_privacy.SECTION]
    )

    async def main() -> T:
        async with migrated_sessions(load_settings()) as sessions, sessions.begin() as session:
            subject = await data.subject(session, telegram_id=named[0], phone=named[1])
            return await work(data, session, subject)

    try:
        return asyncio.run(main())
    except DataKeyError as error:
        raise _fail(error) from None


@privacy_app.command("export")
def export(
    telegram_id: TelegramId = None,
    phone: Phone = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the JSON here instead of to the screen.")
    ] = None,
    actor: Actor = "cli",
) -> None:
    """Everything stored about one person, as JSON (to give them on their request)."""

    async def work(data: PersonalData, session: AsyncSession, subject: Subject) -> dict[str, Any]:
        return await data.export(session, subject, actor=f"staff:{actor}")

    document = _on_subject(telegram_id, phone, work)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    records = sum(len(rows) for rows in document.values() if isinstance(rows, list))
    Console(stderr=True, highlight=False).print(f"Wrote {records} records to {out}.")


@privacy_app.command("delete")
def delete(
    telegram_id: TelegramId = None,
    phone: Phone = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before deleting.")] = False,
    actor: Actor = "cli",
) -> None:
    """Delete everything stored about one person; shows what and asks yes or no first."""
    console = Console(highlight=False)

    async def count(data: PersonalData, session: AsyncSession, subject: Subject) -> dict[str, int]:
        return await data.count(session, subject)

    async def erase(data: PersonalData, session: AsyncSession, subject: Subject) -> dict[str, int]:
        return await data.erase(session, subject, actor=f"staff:{actor}")

    stored = _on_subject(telegram_id, phone, count)
    if not any(stored.values()):
        console.print("Nothing is stored about this person.")
        return
    console.print(_counts_table("Stored about this person", stored))
    if not yes and not typer.confirm("Delete all of it? It cannot be undone"):
        console.print("Nothing was deleted.")
        raise typer.Exit(1)
    erased = _on_subject(telegram_id, phone, erase)
    console.print(
        f"Done: {sum(erased.values())} records deleted or made anonymous. "
        "The audit log has the counts."
    )


@privacy_app.command("new-key")
def new_key_command() -> None:
    """Print a new random key for KOMEK_DATA_KEY (keep it apart from the database's backups)."""
    typer.echo(new_key())


@privacy_app.command("encrypt-existing")
def encrypt_existing_command() -> None:
    """Encrypt personal data stored before KOMEK_DATA_KEY was set; safe to stop and run again."""
    console = Console(highlight=False)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
    )
    tasks = {
        name: progress.add_task(name, total=None)
        for name in tables_with_personal_data(Base.metadata)
    }

    def advance(table: str, done: int, total: int) -> None:
        progress.update(tasks[table], completed=done, total=total)

    async def main() -> dict[str, int]:
        async with migrated_sessions(load_settings()) as sessions:
            return await encrypt_existing(sessions, Base.metadata, progress=advance)

    try:
        with progress:
            rewritten = asyncio.run(main())
    except DataKeyError as error:
        raise _fail(error) from None
    console.print(_counts_table("Rows encrypted now", rewritten))
    console.print("All personal data in the database is encrypted.")


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table("What", title=title)
    table.add_column("Rows", justify="right")
    for name, number in counts.items():
        table.add_row(name.replace("_", " "), str(number))
    return table
