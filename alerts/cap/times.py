"""CAP's date-time format, read and written in one place.

CAP 1.2 (§3.3.2) writes times as `2002-05-24T16:49:00-07:00`: whole seconds, an explicit
numeric offset, never "Z", and UTC as "-00:00". CAP 1.1 documents in the wild also carry
fractional seconds and "Z"; those are read (fractions dropped, since CAP 1.2 cannot hold
them and a re-read export must equal the original) but never written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from alerts.cap.errors import CapError

_CAP_TIME = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?P<zone>[+-]\d\d:\d\d|Z)?",
    re.ASCII,
)


def parse_time(text: str, what: str) -> datetime:
    """A timezone-aware datetime in whole seconds; `what` names the field in the error."""
    value = text.strip()
    match = _CAP_TIME.fullmatch(value)
    if match is None:
        raise CapError(f"{what}: {value[:40]!r} is not a CAP date and time")
    if match["zone"] is None:
        raise CapError(f"{what}: {value!r} has no time zone")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise CapError(f"{what}: {value!r} is not a valid date and time ({error})") from None
    return parsed.replace(microsecond=0)


def format_time(moment: datetime) -> str:
    """`moment` in CAP form; offsets that are not whole minutes are written in UTC."""
    offset = moment.utcoffset()
    if offset is None:
        raise CapError(f"time {moment.isoformat()} has no time zone")
    if offset % timedelta(minutes=1):
        moment, offset = moment.astimezone(UTC), timedelta(0)
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(offset) // timedelta(minutes=1)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
        f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    )
