"""`komek nlu review` and `komek nlu export-reviewed`: teaching the assistant from the terminal.

`review` lists the kept messages nobody has labelled (masked, as the console shows them) and
labels them: `--label ID=intent` (as often as needed) for scripts, or one question per message
when run in a terminal. `export-reviewed PATH` writes the labelled ones as Rasa `nlu.yml`
examples; put the file in `nlu/data/`, read it, commit it, and the assistant trains again on
its next start. Both are audited, like the console's page.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.start import load_settings, migrated_sessions
from core import audit
from core.clock import SystemClock
from core.models import ReviewItem
from core.profile import Language
from core.settings import Settings
from nlu import review
from nlu.review_export import Reviewed, export
from nlu.training_data import DATA_DIR, load_directory

SKIP = ""
QUIT = "q"
LIST = "?"
WHY = {
    "unsure": "unsure",
    "corrected": "said it missed",
    "repeated": "asked again",
    "handover": "asked for a human",
}


def parse_labels(pairs: Sequence[str]) -> dict[int, str]:
    """`ID=intent` pairs; a malformed one stops the command with what is wrong."""
    labels: dict[int, str] = {}
    for pair in pairs:
        number, _, intent = pair.partition("=")
        if not number.strip().isdigit() or not intent.strip():
            raise typer.BadParameter(f"{pair!r}: write it as ID=intent, e.g. 12=social_taxi_info")
        labels[int(number)] = intent.strip()
    return labels


def _table(items: Sequence[ReviewItem], waiting: int) -> Table:
    title = f"Messages waiting to be labelled: {waiting}"
    if waiting > len(items):
        title += f" (the oldest {len(items)})"
    table = Table("ID", "Lang", "Why", "Guess", "Message (masked)", title=title)
    for item in items:
        guess = f"{item.predicted} {item.confidence:.0%}"
        if item.chosen:
            guess += f"; they chose {item.chosen}"
        why = WHY.get(item.reason, item.reason)
        table.add_row(str(item.id), item.language, why, guess, escape(item.text))
    return table


async def _waiting(settings: Settings, limit: int, actor: str) -> tuple[list[ReviewItem], int]:
    async with migrated_sessions(settings) as sessions, sessions.begin() as session:
        items = await review.waiting(session, limit=limit)
        waiting = await review.waiting_count(session)
        now = SystemClock().now()
        audit.record(
            session, at=now, actor=actor, action="nlu_review.viewed", origin="cli", shown=len(items)
        )
    return items, waiting


async def _apply(
    settings: Settings, labels: dict[int, str], intents: list[str], actor: str
) -> list[str]:
    """Label each message in its own transaction; the problems, in words."""
    problems: list[str] = []
    async with migrated_sessions(settings) as sessions:
        for item_id, intent in labels.items():
            try:
                async with sessions.begin() as session:
                    await review.label(
                        session,
                        item_id,
                        intent,
                        intents=intents,
                        actor=actor,
                        now=SystemClock().now(),
                        origin="cli",
                    )
            except review.UnknownLabel:
                problems.append(
                    f"{item_id}: {intent!r} is not an intent the assistant knows "
                    f"(use one of `komek nlu review --intents`, or {review.NOT_A_REQUEST})"
                )
            except review.NoSuchItem:
                problems.append(f"{item_id}: no such message is kept (deleted, or never was)")
    return problems


def _ask(items: Sequence[ReviewItem], choices: list[str], out: Console) -> dict[int, str]:
    """One question per message: an intent, Enter to skip, ? for the list, q to stop."""
    labels: dict[int, str] = {}
    for item in items:
        out.print(f"\n[bold]{item.id}[/bold] ({item.language}, {item.predicted}): ", end="")
        out.print(item.text, markup=False)
        while True:
            answer = typer.prompt(
                "Intent (Enter: skip, ?: list, q: stop)", default=SKIP, show_default=False
            ).strip()
            if answer == LIST:
                out.print(", ".join(choices))
                continue
            if answer == QUIT:
                return labels
            if answer == SKIP:
                break
            if answer not in choices:
                out.print(f"{answer!r} is not one of them; type ? for the list.")
                continue
            labels[item.id] = answer
            break
    return labels


def review_messages(
    label: Annotated[
        list[str] | None,
        typer.Option("--label", help="ID=intent (or ID=not_a_request); repeat for more."),
    ] = None,
    interactive: Annotated[
        bool | None,
        typer.Option(
            "--interactive/--no-interactive",
            help="Ask for each message's intent (the default in a terminal without --label).",
        ),
    ] = None,
    show_intents: Annotated[
        bool, typer.Option("--intents", help="List the intents one may choose, and stop.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many, oldest first.")] = 50,
    actor: Annotated[str, typer.Option("--as", help="Who labels, for the audit log.")] = "cli",
) -> None:
    """List the messages the assistant was unsure of or people corrected, and label them."""
    settings = load_settings()
    out = Console(highlight=False)
    intents = load_directory(DATA_DIR).intents()
    choices = review.choices(intents)
    if show_intents:
        out.print("\n".join(choices))
        return
    who = f"staff:{actor}"
    labels = parse_labels(label or [])
    if not labels:
        items, waiting = asyncio.run(_waiting(settings, limit, who))
        out.print(_table(items, waiting))
        ask = sys.stdin.isatty() if interactive is None else interactive
        if not ask or not items:
            return
        labels = _ask(items, choices, out)
    problems = asyncio.run(_apply(settings, labels, intents, who))
    saved = len(labels) - len(problems)
    out.print(f"Labelled: {saved}.")
    for problem in problems:
        out.print(f"[red]Not labelled[/red] {escape(problem)}")
    if problems:
        raise typer.Exit(1)


def export_reviewed(
    path: Annotated[Path, typer.Argument(dir_okay=False, help="The nlu.yml file to write.")],
    actor: Annotated[str, typer.Option("--as", help="Who exports, for the audit log.")] = "cli",
) -> None:
    """Write the labelled messages as Rasa nlu.yml examples (adding to the file if it exists)."""
    settings = load_settings()

    async def main() -> list[Reviewed]:
        async with migrated_sessions(settings) as sessions, sessions() as session:
            rows = await review.labelled(session)
        return [Reviewed(row.text, row.label or "", Language(row.language)) for row in rows]

    reviewed = asyncio.run(main())
    result = export(reviewed, path, known=load_directory(DATA_DIR))

    async def audited() -> None:
        async with migrated_sessions(settings) as sessions, sessions.begin() as session:
            audit.record(
                session,
                at=SystemClock().now(),
                actor=f"staff:{actor}",
                action="nlu_review.exported",
                origin="cli",
                file=path.name,
                labelled=len(reviewed),
                added=result.added,
                skipped=result.skipped,
                written=result.written,
            )

    asyncio.run(audited())
    typer.echo(
        f"{path}: {result.written} examples ({result.added} new; {result.skipped} left out: "
        "already in the training data, or nothing left once masked)."
    )
    typer.echo(
        "Read it, put it in nlu/data/ and commit it: the assistant trains again on its next start."
    )
