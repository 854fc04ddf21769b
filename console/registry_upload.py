"""A registration list uploaded in the console: saved to a temporary file, its form read.

The import itself is `alerts.registry.importer.import_registry`, the same as the command line.
The importer's messages name the command line's options; the console says them through the
`console.`-prefixed variants of their keys, which name the form's boxes (core.said).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_BYTES = 20 * 1024 * 1024
"""The biggest list accepted: about 200,000 rows of CSV."""
STREAM_LIMIT = 2 * MAX_BYTES
"""The most of an upload's request that is read: up to it, a list that is too big gets the
form's own message (with its size); beyond it, the request is cut off with 413."""
_BLOCK = 1 << 20
_XLSX_MAGIC = b"PK\x03\x04"


class TooLarge(Exception):
    """The upload is bigger than MAX_BYTES."""


class BadMapping(ValueError):
    """A line of the “Columns” box is not FIELD=COLUMN; `line` says which."""

    def __init__(self, line: int) -> None:
        super().__init__(f"Line {line} is not FIELD=COLUMN, for example phone=Тел. моб.")
        self.line = line


@dataclass(frozen=True)
class Saved:
    """An uploaded registry file saved to disk."""

    path: Path
    size: int


def save_upload(source: BinaryIO, folder: Path, limit: int) -> Saved:
    """Copy the upload into `folder`, at most `limit` bytes (blocking I/O).

    The file is named by what it holds, not by the name it came with: the XLSX reader
    needs an .xlsx name, and a workbook may arrive named "list" or "list.csv".
    """
    first = source.read(_BLOCK)
    target = folder / ("upload.xlsx" if first.startswith(_XLSX_MAGIC) else "upload.csv")
    size = 0
    with target.open("wb") as out:
        block = first
        while block:
            size += len(block)
            if size > limit:
                raise TooLarge
            out.write(block)
            block = source.read(_BLOCK)
    return Saved(target, size)


def parse_mapping(text: str) -> dict[str, str]:
    """The “Columns” box, "phone=Тел. моб." a line, as {"phone": "Тел. моб."}."""
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, column = line.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise BadMapping(number)
        mapping[name.strip()] = column.strip()
    return mapping
