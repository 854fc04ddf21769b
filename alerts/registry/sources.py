"""Reading a list file row by row: CSV in any encoding offices save in, or XLSX.

Offices export lists from Excel and 1C, so a CSV may be UTF-8 (with or without a BOM),
UTF-16 (Excel's "Unicode text") or Windows-1251, with `,`, `;` or tab between cells. The
encoding is found before any row is used, by one streaming pass that also counts lines (for
progress) and hashes the file (for the audit log): UTF-8 strictly first, because random
Windows-1251 text is almost never valid UTF-8; then UTF-16 by its BOM (or by NUL bytes, for
one saved without a BOM); then Windows-1251, or its Kazakh variant KZ-1048 when the bytes
that differ between them occur (in Windows-1251 they are Serbian and Ukrainian letters no
Kazakh or Russian list holds; in KZ-1048 they are Қ, Ә, Ө, Ү and the rest).

Rows come out one at a time with the line number a person sees in their editor (the header
is line 1 in a normal file); blank lines are skipped but still counted. XLSX is read with
openpyxl's read-only mode, so memory stays flat however long the sheet is.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from core.file_reasons import why_unreadable
from core.said import Said

BLOCK = 1 << 20
DELIMITERS = (";", "\t", ",")
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_KZ1048_LETTERS = bytes([0x8D, 0x8E, 0x9D, 0x9E, 0xA1, 0xA2, 0xA3, 0xA5])
_KZ1048_LETTERS += bytes([0xAA, 0xAF, 0xB4, 0xBA, 0xBC, 0xBD, 0xBE, 0xBF])
MAX_UNCOMPRESSED = 256 * 1024 * 1024
"""The most a workbook may unpack to: a list of 200,000 rows is well under 100 MiB."""
MAX_RATIO = 100
"""A part of a workbook packed tighter than this (and larger than `_RATIO_FROM`) is not a
list but a decompression bomb: spreadsheet XML packs 5 to 20 times."""
_RATIO_FROM = 1024 * 1024
MAX_CELLS = 10_000_000
"""Cells read from a sheet, blank ones included: 200,000 rows of 50 columns."""
MAX_CELL_CHARS = 32_767
"""Excel's own limit for the text of one cell."""


class FileError(Exception):
    """The file cannot be read as a list; `reason` says why in plain words (`Said`, so the
    console says it in the reader's language)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Row:
    """One data row of an uploaded list, by the line number a person sees, as text cells."""

    line: int
    """The line (CSV) or row (XLSX) number a person sees; the header is usually 1."""
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ListFile:
    """An open list: its header, its data rows as a stream, and facts for the report."""

    header: tuple[str, ...]
    header_line: int
    rows: Iterator[Row]
    total_lines: int | None
    """Lines after the header, for progress; None when the file does not say."""
    kind: str
    """"CSV (cp1251, ';')" or "XLSX": shown to the person importing."""
    digest: str
    """SHA-256 of the file: names it in the audit log without repeating its contents."""


@contextmanager
def open_list(path: Path) -> Iterator[ListFile]:
    """Open a CSV or XLSX list; raises FileError when it cannot be read at all."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise FileError(Said("registry.file.cannot_open", problem=why_unreadable(error))) from None
    if magic == _OLE_MAGIC:
        raise FileError(Said("registry.file.old_excel"))
    opener = _open_xlsx if magic == _XLSX_MAGIC else _open_csv
    with opener(path) as opened:
        yield opened


@dataclass(frozen=True)
class _Scan:
    encoding: str
    newlines: int
    digest: str


def scan(path: Path) -> _Scan:
    """One pass over the bytes: the encoding, the number of lines and the SHA-256."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8-sig")("strict")
    utf8_ok = True
    head = b""
    kz_letters = newlines_8bit = newlines_le = newlines_be = nul = undefined_8bit = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
            if len(head) < 4096:
                head += block[:4096]
            if utf8_ok:
                try:
                    utf8.decode(block)
                except UnicodeDecodeError:
                    utf8_ok = False
            kz_letters += sum(block.count(bytes([b])) for b in _KZ1048_LETTERS)
            newlines_8bit += block.count(b"\n")
            newlines_le += block.count(b"\n\x00")
            newlines_be += block.count(b"\x00\n")
            nul += block.count(b"\x00")
            undefined_8bit += block.count(b"\x98")
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    encoding = _choose(head, utf8_ok=utf8_ok, has_nul=nul > 0, kz_letters=kz_letters)
    if encoding in {"cp1251", "kz1048"} and undefined_8bit:
        raise FileError(Said("registry.file.not_text"))
    newlines = {"utf-16": max(newlines_le, newlines_be), "utf-16-le": newlines_le}.get(
        encoding, newlines_be if encoding == "utf-16-be" else newlines_8bit
    )
    return _Scan(encoding=encoding, newlines=newlines, digest=digest.hexdigest())


def _choose(head: bytes, *, utf8_ok: bool, has_nul: bool, kz_letters: int) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if utf8_ok and not has_nul:
        return "utf-8-sig"
    if has_nul:
        # UTF-16 without a BOM: ASCII characters leave a NUL after (LE) or before (BE) them.
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        return "utf-16-le" if odd >= even else "utf-16-be"
    return "kz1048" if kz_letters else "cp1251"


def _sniff(line: str) -> str:
    """The delimiter of a header line: the candidate found most often outside quotes.

    Only the header is looked at: data cells hold decimal commas ("43,238"), headers rarely
    hold any of the three. A tie (or none at all, a one-column file) means ",".
    """
    outside: list[str] = []
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    text = "".join(outside)
    counts = {delimiter: text.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts.values())
    if best == 0 or list(counts.values()).count(best) > 1:
        return ","
    return next(d for d, n in counts.items() if n == best)


def _blank(cells: list[str] | tuple[str, ...]) -> bool:
    return all(not cell.strip() for cell in cells)


@contextmanager
def _open_csv(path: Path) -> Iterator[ListFile]:
    scanned = scan(path)
    with path.open(encoding=scanned.encoding, newline="", errors="strict") as handle:
        header_line = 0
        header: tuple[str, ...] | None = None
        try:
            for number, text in enumerate(handle, start=1):
                if text.strip():
                    header_line, delimiter = number, _sniff(text)
                    header = tuple(next(csv.reader([text], delimiter=delimiter)))
                    break
        except UnicodeDecodeError:  # e.g. UTF-16 cut off in the middle of a letter
            raise FileError(Said("registry.file.bad_start")) from None
        if header is None:
            raise FileError(Said("registry.file.empty"))
        reader = csv.reader(handle, delimiter=delimiter)
        label = {"\t": "tab"}.get(delimiter, f"'{delimiter}'")
        name = scanned.encoding.removesuffix("-sig").removesuffix("-le").removesuffix("-be")
        yield ListFile(
            header=tuple(cell.strip() for cell in header),
            header_line=header_line,
            rows=_csv_rows(reader, header_line),
            total_lines=max(scanned.newlines - header_line, 0) or None,
            kind=f"CSV ({name}, {label})",
            digest=scanned.digest,
        )


def _csv_rows(reader: Any, header_line: int) -> Iterator[Row]:
    previous = header_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileError(
                Said("registry.file.bad_csv", line=previous + 1, reason=_csv_reason(error))
            ) from None
        except UnicodeDecodeError:
            raise FileError(Said("registry.file.bad_line_encoding", line=previous + 1)) from None
        line = previous + 1
        previous = header_line + reader.line_num
        if cells and not _blank(cells):
            yield Row(line=line, cells=tuple(cells))


def _csv_reason(error: csv.Error) -> Said:
    """The csv module's complaint in plain words (it speaks English only)."""
    message = str(error)
    if "field limit" in message:
        return Said("registry.csv.long_cell", most=csv.field_size_limit())
    if "NUL" in message:
        return Said("registry.csv.nul")
    return Said("registry.csv.other")


@contextmanager
def _open_xlsx(path: Path) -> Iterator[ListFile]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    _check_packing(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileError(Said("registry.file.bad_xlsx")) from None
    try:
        if not workbook.worksheets:
            raise FileError(Said("registry.file.no_sheet"))
        sheet = workbook.worksheets[0]
        total = sheet.max_row if isinstance(sheet.max_row, int) else None
        # Some exporters write a wrong size ("A1"); without it every row is read.
        sheet.reset_dimensions()
        rows = _xlsx_rows(sheet.iter_rows(values_only=True))
        header: Row | None = next((row for row in rows if not _blank(row.cells)), None)
        if header is None:
            raise FileError(Said("registry.file.sheet_empty"))
        yield ListFile(
            header=tuple(cell.strip() for cell in header.cells),
            header_line=header.line,
            rows=(row for row in rows if not _blank(row.cells)),
            total_lines=max(total - header.line, 0) if total else None,
            kind="XLSX",
            digest=digest.hexdigest(),
        )
    finally:
        workbook.close()


def _check_packing(path: Path) -> None:
    """FileError for a workbook that would unpack to too much (a decompression bomb).

    The sizes come from the archive's directory; zipfile stops reading a part at its stated
    size, so a part cannot unpack to more than it says.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileError(Said("registry.file.bad_xlsx")) from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNCOMPRESSED:
        raise FileError(
            Said(
                "registry.file.unpacks_big",
                size=unpacked // (1024 * 1024),
                most=MAX_UNCOMPRESSED // (1024 * 1024),
            )
        )
    for part in parts:
        packed = max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM and part.file_size / packed > MAX_RATIO:
            raise FileError(
                Said(
                    "registry.file.part_bomb",
                    part=part.filename,
                    size=part.file_size // (1024 * 1024),
                    packed=packed // 1024,
                )
            )


def _xlsx_rows(values: Iterator[tuple[object, ...]]) -> Iterator[Row]:
    """Rows of a sheet as text; FileError past MAX_CELLS cells or a cell past MAX_CELL_CHARS."""
    cells = 0
    for number, row in enumerate(values, start=1):
        cells += len(row)
        if cells > MAX_CELLS:
            raise FileError(Said("registry.file.too_many_cells", most=MAX_CELLS))
        texts = tuple(_cell_text(value) for value in row)
        if any(len(text) > MAX_CELL_CHARS for text in texts):
            raise FileError(Said("registry.file.long_cell", row=number, most=MAX_CELL_CHARS))
        yield Row(line=number, cells=texts)


def _cell_text(value: object) -> str:
    """A cell as text, the way a person would have typed it into a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
