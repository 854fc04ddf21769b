"""Hostile XLSX workbooks, made here: a decompression bomb, and one without a worksheet."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook  # type: ignore[import-untyped]


def _parts(header: str = "phone") -> dict[str, bytes]:
    book = Workbook()
    book.active["A1"] = header
    book.active["B1"] = "language"
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def bomb(megabytes: int = 40) -> bytes:
    """A small workbook whose header cell unpacks to `megabytes` MB of one letter."""
    parts = _parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    cell = b'<c r="A1" t="inlineStr"><is><t>' + b"A" * (megabytes << 20) + b"</t></is></c>"
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<c r="A1"[^>]*>.*?</c>', cell, sheet, count=1)
    return _zipped(parts)


def without_sheets() -> bytes:
    """A valid workbook whose list of sheets is empty."""
    parts = _parts()
    parts["xl/workbook.xml"] = re.sub(
        rb"<sheets>.*</sheets>", b"<sheets/>", parts["xl/workbook.xml"], flags=re.S
    )
    return _zipped(parts)
