"""Importing the official emergency-registration list (CSV or XLSX) into the registrants table.

The list holds people who consented to be warned. Each row becomes a registrant keyed on the
phone (E.164), else the Telegram chat id, so importing a corrected list again updates people
instead of duplicating them, and importing the same list twice changes nothing.

Rows are read and checked in a worker thread and stored in chunks of `CHUNK` rows, one
transaction each: a 100,000-row list never sits in memory (only the keys seen so far, to
report duplicates inside the file, about 100 bytes a row), the event loop stays free, and a
failure of the database stops the import between chunks with everything before it stored.
The import is idempotent, so running it again finishes the job.

What is stored, and what is not (data minimisation): phone, Telegram chat id, disability
kinds, language, region, coordinates, a contact's phone, SMS wish, test group and consent.
Names, IIN, addresses and birth dates are never read. The audit log gets counts and the
file's SHA-256, never a row.

Rules for people already registered: empty optional cells keep what is stored; consent given
in the bot or console is kept (the list does not overwrite a consent it did not collect); a
region the person gave in the bot is kept against an older list row, and staff see the rows
that disagree (`alerts.registry.region_word`);
somebody who left through the bot is not made active again; somebody a list marked inactive
(see `alerts.registry.replace`) is active again when a list names them again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Mapping
from contextlib import ExitStack, aclosing, asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy.exc import SQLAlchemyError

from alerts.models import Registrant
from alerts.registry import region_word
from alerts.registry.columns import REQUIRED, ColumnError, Columns, Field, resolve
from alerts.registry.replace import Listed, Replacement, deactivate_missing, key_of
from alerts.registry.report import ImportAborted, ImportReport, Problem
from alerts.registry.rows import CONSENT_FIELDS, CONSENT_SOURCE, Parsed, RowReader
from alerts.registry.sources import FileError, ListFile, Row, open_list
from alerts.registry.store import Batch, KeyConflict, Outcome
from core import audit
from core.database import SessionFactory, refresh_statistics
from core.profile import Language
from core.said import Said

log = structlog.get_logger(__name__)

CHUNK = 1000
REGION_KEPT = "registry.row.region_kept"
"""A row whose region was not applied: the person gave another one in the bot since."""
Progress = Callable[[int, int | None], None]
"""Called after each stored chunk with (lines done, lines in all) after the header."""

__all__ = ["CHUNK", "FileError", "ImportAborted", "ImportReport", "Problem", "import_registry"]


@dataclass
class _Chunk:
    parsed: list[Parsed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    rejected: int = 0
    first_line: int = 0
    last_line: int = 0


async def import_registry(
    sessions: SessionFactory,
    path: Path,
    *,
    actor: str,
    now: datetime,
    mapping: Mapping[str, str] | None = None,
    consent_version: str | None = None,
    default_language: Language | None = None,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
    replace: Replacement | None = None,
) -> ImportReport:
    """Import a list file; returns the report of every row.

    `mapping` names columns whose headers are not recognised (`{"phone": "Тел. моб."}`).
    `consent_version` is the version of the consent text the list was collected under, used
    for rows (or files) that do not say. `default_language` is for rows without a language.

    `replace` makes the file the whole list of a region: see `alerts.registry.replace`.

    Raises FileError when the file cannot be used at all (unreadable, no header, a required
    column missing), and ImportAborted when it stops part-way (the report so far attached).
    """
    report = ImportReport(replaced=None if replace is None else replace.label)
    named = None if replace is None else Listed()
    async with _opened(path) as listed:
        columns = _columns(listed, mapping, consent_version, default_language)
        report.kind = listed.kind
        report.columns = {name.value: header for name, header in columns.headers.items()}
        report.not_read = columns.not_read
        reader = RowReader(
            columns,
            now,
            consent_version=consent_version,
            default_language=default_language.value if default_language else None,
        )
        done = 0
        try:
            chunks_of = _read_ahead(listed.rows, reader, chunk_size, named)
            async with aclosing(chunks_of) as chunks:
                async for chunk in chunks:
                    report.rows += chunk.rows
                    report.rejected += chunk.rejected
                    report.problems.extend(chunk.problems)
                    await _store(sessions, chunk, now, report)
                    done = chunk.last_line - listed.header_line
                    if progress is not None:
                        total = listed.total_lines
                        progress(done, max(total, done) if total is not None else None)
            if replace is not None and named is not None:
                await _replace(sessions, report, named, replace, now)
        except (FileError, ImportAborted) as error:
            report.problems.sort()
            await _audit(sessions, report, listed, actor, now, aborted=True)
            if isinstance(error, ImportAborted):
                raise
            raise ImportAborted(
                Said("registry.file.stopped", reason=error.reason), report
            ) from None
    try:  # an alert may follow at once: let the database count the list now
        await refresh_statistics(sessions, Registrant.__tablename__)
    except SQLAlchemyError as error:  # the list is stored; autovacuum counts it soon enough
        log.warning("registry.statistics_not_refreshed", error=type(error).__name__)
    if progress is not None:
        final = max(done, listed.total_lines or 0)
        progress(final, final)
    report.problems.sort()
    await _audit(sessions, report, listed, actor, now, aborted=False)
    log.info(
        "registry.imported",
        rows=report.rows,
        imported=report.imported,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
    )
    return report


def _columns(
    listed: ListFile,
    mapping: Mapping[str, str] | None,
    consent_version: str | None,
    default_language: Language | None,
) -> Columns:
    """The header's columns, or FileError when no row could be imported with them."""
    try:
        columns = resolve(listed.header, mapping)
    except ColumnError as error:
        raise FileError(error.reason) from None
    missing = [name for name in REQUIRED if name not in columns]
    if Field.LANGUAGE not in columns and default_language is None:
        missing.append(Field.LANGUAGE)
    if Field.PHONE not in columns and Field.TELEGRAM_CHAT_ID not in columns:
        missing.insert(0, Field.PHONE)
    if missing:
        names = ", ".join(name.value for name in missing)
        key = "no_column_language" if Field.LANGUAGE in missing else "no_column"
        raise FileError(Said(f"registry.file.{key}", names=names))
    if Field.CONSENT_VERSION not in columns and consent_version is None:
        raise FileError(Said("registry.file.no_consent"))
    if (Field.LATITUDE in columns) != (Field.LONGITUDE in columns):
        raise FileError(Said("registry.file.half_place"))
    return columns


@asynccontextmanager
async def _opened(path: Path) -> AsyncIterator[ListFile]:
    """`open_list` in a worker thread: opening reads the whole file (its encoding, an XLSX
    workbook's parts and header), which must not hold the event loop."""
    stack = ExitStack()
    listed = await asyncio.to_thread(stack.enter_context, open_list(path))
    try:
        yield listed
    finally:
        await asyncio.to_thread(stack.close)


async def _read_ahead(
    rows: Iterator[Row], reader: RowReader, size: int, named: Listed | None
) -> AsyncGenerator[_Chunk, None]:
    """Chunks of checked rows; the next one is read in a worker thread while this one is
    stored, so reading the file and writing the database overlap."""
    ahead = asyncio.ensure_future(asyncio.to_thread(_read_chunk, rows, reader, size, named))
    try:
        while True:
            chunk = await ahead
            if chunk.rows == 0:
                return
            ahead = asyncio.ensure_future(asyncio.to_thread(_read_chunk, rows, reader, size, named))
            yield chunk
    finally:
        if not ahead.done():  # a thread cannot be interrupted: let it finish its chunk
            with suppress(Exception):
                await ahead


def _read_chunk(rows: Iterator[Row], reader: RowReader, size: int, named: Listed | None) -> _Chunk:
    """Up to `size` rows read and checked (runs in a worker thread: it does file I/O).

    With `named`, whom each row names is noted, also for rows that are not imported.
    """
    chunk = _Chunk()
    for row in rows:
        chunk.rows += 1
        chunk.first_line = chunk.first_line or row.line
        chunk.last_line = row.line
        result = reader.read(row)
        if named is not None:
            named.add(result.key if isinstance(result, Parsed) else key_of(reader.columns, row))
        if isinstance(result, Parsed):
            chunk.parsed.append(result)
        else:
            chunk.problems.extend(result)
            chunk.rejected += 1
        if chunk.rows >= size:
            break
    return chunk


async def _store(
    sessions: SessionFactory, chunk: _Chunk, now: datetime, report: ImportReport
) -> None:
    """One transaction for the chunk; counts reach the report only once it is committed."""
    counts = dict.fromkeys(Outcome, 0)
    conflicts: list[Problem] = []
    kept: list[Problem] = []
    try:
        async with sessions.begin() as session:
            batch = await Batch.load(session, (parsed.key for parsed in chunk.parsed))
            for parsed in chunk.parsed:
                try:
                    existing = batch.find(parsed.key)
                except KeyConflict as conflict:
                    conflicts.append(
                        Problem(parsed.line, Field.TELEGRAM_CHAT_ID.value, conflict.args[0])
                    )
                    continue
                values, region_kept = _values_for(existing, parsed, now)
                if region_kept:
                    kept.append(Problem(parsed.line, Field.REGION.value, Said(REGION_KEPT)))
                counts[batch.put(parsed.key, values, now)] += 1
            await batch.write(session)
    except SQLAlchemyError as error:
        # The message of a database error can hold the row's values: only its kind is shown.
        raise ImportAborted(
            Said(
                "registry.file.database_failed",
                first=chunk.first_line,
                last=chunk.last_line,
                kind=type(error).__name__,
            ),
            report,
        ) from error
    report.imported += counts[Outcome.CREATED]
    report.updated += counts[Outcome.UPDATED]
    report.unchanged += counts[Outcome.UNCHANGED]
    report.problems.extend(conflicts)
    report.rejected += len(conflicts)
    report.regions_kept.extend(kept)


def _values_for(
    existing: Mapping[str, Any] | None, parsed: Parsed, now: datetime
) -> tuple[dict[str, Any], bool]:
    """What to write, and whether the person's own region was kept against the row's: consent
    only when the list owns it and it says something new; the region by `region_word`."""
    values = dict(parsed.values)
    region = region_word.from_list(existing, values.pop("region"), now)
    values |= region.values
    if region.person_stands:  # and the place they shared stays with it
        values.pop("latitude", None)
        values.pop("longitude", None)
    if existing is None:
        return values, region.conflict
    if existing["consent_source"] == CONSENT_SOURCE and not existing["active"]:
        values |= {"active": True, "inactive_since": None}  # on the list again
    if existing["consent_source"] != CONSENT_SOURCE:
        for name in CONSENT_FIELDS:
            values.pop(name)
    elif (
        not parsed.consent_at_from_file and existing["consent_version"] == values["consent_version"]
    ):
        values.pop("consent_at")  # the same list again: keep when consent was first recorded
    return values, region.conflict


async def _replace(
    sessions: SessionFactory,
    report: ImportReport,
    named: Listed,
    replace: Replacement,
    now: datetime,
) -> None:
    """Mark inactive who the file no longer names, unless a row names nobody readable."""
    report.unidentified = named.unidentified
    if named.unidentified:
        return
    try:
        async with sessions.begin() as session:
            report.deactivated = await deactivate_missing(session, named, replace, now)
    except SQLAlchemyError as error:
        raise ImportAborted(
            Said("registry.file.replace_failed", kind=type(error).__name__), report
        ) from error


async def _audit(
    sessions: SessionFactory,
    report: ImportReport,
    listed: ListFile,
    actor: str,
    now: datetime,
    *,
    aborted: bool,
) -> None:
    """Counts and the file's hash; an audit failure after an abort must not hide the abort."""
    try:
        async with sessions.begin() as session:
            audit.record(
                session,
                at=now,
                actor=actor,
                action="registry.import",
                origin="file",
                result="aborted" if aborted else "done",
                kind=listed.kind,
                sha256=listed.digest,
                rows=report.rows,
                imported=report.imported,
                updated=report.updated,
                unchanged=report.unchanged,
                rejected=report.rejected,
                problems=len(report.problems),
                regions_kept=len(report.regions_kept),
                replaced=report.replaced,
                deactivated=report.deactivated,
            )
    except SQLAlchemyError as error:
        if not aborted:
            raise ImportAborted(
                Said("registry.file.audit_failed", kind=type(error).__name__), report
            ) from error
        log.warning("registry.audit_failed", error=type(error).__name__)
