"""Kazakhstan's local time, defined once: Asia/Almaty (UTC+5) from the shipped tzdata package.

Store UTC, show local time. Everything that shows or reads a local moment takes
`LOCAL_ZONE` from here, so the host's tz database never matters.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from importlib.resources import files
from zoneinfo import ZoneInfo

from core.clock import as_utc


def _load_zone() -> ZoneInfo:
    """Asia/Almaty from the tzdata package, so the host's tz database does not matter."""
    with files("tzdata.zoneinfo").joinpath("Asia", "Almaty").open("rb") as handle:
        return ZoneInfo.from_file(handle, key="Asia/Almaty")


LOCAL_ZONE = _load_zone()


def to_local(moment: datetime) -> datetime:
    """The moment in local time, for showing to people and for working hours."""
    return as_utc(moment).astimezone(LOCAL_ZONE)


def local_midnight(day: date) -> datetime:
    """The start of a local calendar day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)


def local_year(moment: datetime) -> int:
    """The local calendar year a moment falls in: quotas count by calendar year."""
    return to_local(moment).year
