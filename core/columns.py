"""Column types shared by the tables of every package."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect

from core.clock import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)
