"""The recipients of an alert as CSV: UTF-8 with a byte order mark, so Excel reads Cyrillic.

The file's headers and words are in English whatever the page's language: one file format for
every program that reads it."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence

from console.alert_progress import CHANNELS
from console.recipient_list import CHANNEL_NAMES, RecipientRow
from core.localtime import to_local

BOM = "\ufeff"
HEADER = [
    "Registrant",
    "Phone (masked)",
    "Language",
    "Disability",
    "Region",
    *(column for name in CHANNEL_NAMES.values() for column in (name, f"{name}: error")),
    "Answer",
    "Answered at (Kazakhstan time)",
    "Answered by",
    "Escalation step",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    """A cell a spreadsheet will not run as a formula (texts from providers are not ours)."""
    if value and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value or ""


def _line(row: RecipientRow) -> list[str]:
    channels: list[str] = []
    for channel, _ in CHANNELS:
        message = row.channels.get(channel)
        channels += [message.words, _text(message.error)] if message else ["", ""]
    answered = to_local(row.answered_at).strftime("%Y-%m-%d %H:%M:%S") if row.answered_at else ""
    return [
        str(row.registrant_id),
        row.phone,  # masked by us: digits, stars and spaces after the "+"
        row.language,
        _text(row.kinds_words),
        _text(row.region),
        *channels,
        row.answer_words,
        answered,
        _text(row.answered_via),
        row.escalation_words,
    ]


def _csv(rows: Sequence[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def csv_chunks(chunks: AsyncIterator[Sequence[RecipientRow]]) -> AsyncIterator[bytes]:
    """The header with the byte order mark first, then one piece per chunk of recipients."""
    yield BOM.encode("utf-8") + _csv([HEADER])
    async for chunk in chunks:
        yield _csv([_line(row) for row in chunk])
