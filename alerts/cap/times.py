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
from core.said import Said

_CAP_TIME = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?P<zone>[+-]\d\d:\d\d|Z)?",
    re.ASCII,
)


def parse_time(text: str, what: str) -> datetime:
    """A timezone-aware datetime in whole seconds; `what` names the field in the error."""
    value = text.strip()
    match = _CAP_TIME.fullmatch(value)
    if match is None:
        raise CapError(Said("alerts.cap.not_time", what=what, value=repr(value[:40])))
    if match["zone"] is None:
        raise CapError(Said("alerts.cap.no_zone", what=what, value=repr(value)))
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise CapError(
            Said("alerts.cap.bad_time", what=what, value=repr(value), problem=str(error))
        ) from None
    return parsed.replace(microsecond=0)


def format_time(moment: datetime) -> str:
    """`moment` in CAP form; offsets that are not whole minutes are written in UTC."""
    offset = moment.utcoffset()
    if offset is None:
        raise CapError(Said("alerts.cap.no_zone", what="time", value=moment.isoformat()))
    if offset % timedelta(minutes=1):
        moment, offset = moment.astimezone(UTC), timedelta(0)
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(offset) // timedelta(minutes=1)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
        f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    )
