"""`komek alerts import-registry`: the import with a progress bar, and its report on screen.

Problems in rows are reported and are not fatal (exit 0): the valid rows are stored, and the
person fixes the listed lines and imports again. Exit 1 means nothing could be imported (the
file is unreadable or lacks a required column) or the import stopped part-way.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from alerts.registry.importer import FileError, ImportAborted, ImportReport, import_registry
from alerts.registry.replace import Replacement
from cli.staff_language import StaffWords, staff_words
from core.database import create_engine, session_factory, upgrade
from core.logging import configure_logging
from core.profile import Language
from core.said import Said
from core.settings import Settings

SHOWN_PROBLEMS = 50


class CommandError(Exception):
    """What to tell the person when the import cannot run or did not finish (`Said`, so it is
    said in their language)."""


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """["phone=Тел. моб."] → {"phone": "Тел. моб."}."""
    mapping: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise CommandError(Said("cli.registry.bad_map", item=item))
        mapping[name.strip()] = column.strip()
    return mapping


def run_import(
    file: Path,
    *,
    mapping: Sequence[str],
    consent_version: str | None,
    default_language: str | None,
    problems_csv: Path | None,
    actor: str,
    replace_region: str | None = None,
    full_list: bool = False,
    words: StaffWords | None = None,
) -> int:
    """Run the import and print its report in `words`' language (else the staff's); the exit
    code (0: done, problems or not)."""
    words = words or staff_words(None)
    parsed_mapping = parse_mapping(mapping)
    language = _language(default_language)
    replace = _replacement(replace_region, full_list)
    console = Console(highlight=False)
    progress = Progress(
        TextColumn(words("cli.registry.importing"), markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("import", total=None)

    def advance(done: int, total: int | None) -> None:
        progress.update(task, completed=done, total=total)

    async def main() -> ImportReport:
        # Only the database: the import needs neither the bot nor voice, so it starts fast.
        settings = Settings()
        configure_logging(settings.log_level)
        engine = create_engine(settings)
        try:
            await upgrade(engine)
            return await import_registry(
                session_factory(engine),
                file,
                actor=f"staff:{actor}",
                now=datetime.now(UTC),
                mapping=parsed_mapping,
                consent_version=consent_version,
                default_language=language,
                progress=advance,
                replace=replace,
            )
        finally:
            await engine.dispose()

    try:
        with progress:
            report = asyncio.run(main())
    except FileError as error:
        raise CommandError(
            Said("cli.registry.not_imported", file=file.name, reason=error.reason)
        ) from None
    except ImportAborted as error:
        show(console, error.report, problems_csv, words)
        raise CommandError(Said("cli.registry.stopped", reason=error.reason)) from None
    show(console, report, problems_csv, words)
    return 0


def _replacement(region: str | None, full_list: bool) -> Replacement | None:
    if region is not None and full_list:
        raise CommandError(Said("cli.registry.region_or_full"))
    if full_list:
        return Replacement()
    if region is None:
        return None
    try:
        return Replacement.of_region(region)
    except ValueError as error:
        raise CommandError(Said("cli.registry.bad_region", reason=str(error))) from None


def _language(code: str | None) -> Language | None:
    if code is None:
        return None
    try:
        return Language(code.strip().lower())
    except ValueError:
        raise CommandError(Said("cli.registry.bad_language")) from None


def show(
    console: Console, report: ImportReport, problems_csv: Path | None, words: StaffWords
) -> None:
    """The counts, the columns used and ignored, and the first problems as a table."""

    def say(key: str, **params: object) -> None:
        console.print(words(key, **params), markup=False)

    say("cli.registry.read", kind=report.kind, rows=report.rows)
    if report.columns:
        used = ", ".join(f'{name} ← "{header}"' for name, header in report.columns.items())
        say("cli.registry.columns", columns=used)
    if report.not_read:
        say("cli.registry.not_read", names=", ".join(f'"{header}"' for header in report.not_read))
    say(
        "cli.registry.counts",
        imported=report.imported,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
    )
    if report.replaced is not None:
        console.print(words.said(_replaced_line(report)), markup=False)
    _show_regions_kept(console, report, words)
    if not report.problems:
        return
    table = Table(
        words("cli.registry.line"),
        words("cli.registry.field"),
        words("cli.registry.problem"),
        title=words("cli.registry.problems", count=len(report.problems)),
    )
    for problem in report.problems[:SHOWN_PROBLEMS]:
        table.add_row(str(problem.line), problem.field, Text(words.said(problem.problem)))
    console.print(table, markup=False)
    if len(report.problems) > SHOWN_PROBLEMS:
        say("cli.registry.more", count=len(report.problems) - SHOWN_PROBLEMS)
    if problems_csv is not None:
        with problems_csv.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "field", "problem"])
            writer.writerows((p.line, p.field, words.said(p.problem)) for p in report.problems)
        say("cli.registry.problems_file", path=str(problems_csv))


def _show_regions_kept(console: Console, report: ImportReport, words: StaffWords) -> None:
    """The lines whose region the person changed in the bot since: staff check them."""
    if not report.regions_kept:
        return
    caption = words.said(Said("console.registry.regions_kept", count=len(report.regions_kept)))
    table = Table(
        words("cli.registry.line"),
        words("cli.registry.field"),
        words("cli.registry.problem"),
        title=Text(caption),
    )
    for kept in report.regions_kept[:SHOWN_PROBLEMS]:
        table.add_row(str(kept.line), kept.field, Text(words.said(kept.problem)))
    console.print(table)


def _replaced_line(report: ImportReport) -> Said:
    where = (
        Said("cli.registry.whole_country")
        if report.replaced == "all"
        else Said("cli.registry.region", code=report.replaced)
    )
    if report.unidentified:
        return Said("cli.registry.none_inactive", where=where, rows=report.unidentified)
    return Said("cli.registry.inactive", where=where, count=report.deactivated)
