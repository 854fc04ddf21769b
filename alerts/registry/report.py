"""What an import tells the person who ran it: counts, and one line per problem.

A problem names the line (as the person sees it in the file) and the field, and says what
is wrong in a few plain English words. It never repeats the cell: the report is shown on
screens and pasted into tickets, and the list is personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong with one field of one row of an uploaded list, in words."""

    line: int
    field: str
    problem: str


@dataclass
class ImportReport:
    """The outcome of one import. Every data row is counted once: imported, updated,
    unchanged, or rejected with at least one problem."""

    rows: int = 0
    """Data rows read (blank lines are not rows)."""
    imported: int = 0
    """New registrants."""
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejected: int = 0
    """Rows not imported because of their problems."""
    kind: str = ""
    """What the file was read as: "CSV (cp1251, ';')", "XLSX"."""
    columns: dict[str, str] = field(default_factory=dict)
    """Field → the header of the column it was read from."""
    not_read: tuple[str, ...] = ()
    """Headers of columns that were not read (names, IIN, addresses: not needed)."""
    replaced: str | None = None
    """The region the file replaced (--replace-region, "all" for --full-list), or None."""
    deactivated: int = 0
    """Registrants of that region no longer on the list, marked inactive."""
    unidentified: int = 0
    """Rows naming nobody readable (no phone or chat id); with any, nobody is marked inactive."""
    regions_kept: list[Problem] = field(default_factory=list)
    """Rows whose region was not applied: the person gave another one in the bot after the list
    last said it (alerts.registry.region_word). Imported otherwise; staff should check them."""


class ImportAborted(Exception):
    """The import stopped part-way (the database failed, or the rest of the file could not
    be read). Chunks before it are stored; running the import again is safe."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.reason = message
        self.report = report
