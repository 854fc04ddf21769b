"""The result of reading a booking's date and time: the When dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from core.localtime import LOCAL_ZONE

PART_START = {"morning": time(9), "afternoon": time(14), "evening": time(18)}
"""The hour a part of the day stands for when no time is given."""

PART_END = {"morning": time(12), "afternoon": time(18), "evening": time(23, 59)}
"""The moment a part of the day is over, for telling that 'this morning' has passed."""

PAST, IMPOSSIBLE, AMBIGUOUS = "past", "impossible", "ambiguous"


@dataclass(frozen=True, slots=True)
class When:
    """A booking's day, time, part of the day and length, or the reason to ask again."""

    day: date | None = None
    time: time | None = None
    part_of_day: str | None = None
    duration_hours: int | None = None
    problem: str | None = None

    def starts_at(self) -> datetime | None:
        """The aware UTC start when the day and a time or part of the day are known."""
        start = self.time or PART_START.get(self.part_of_day or "")
        if self.day is None or start is None:
            return None
        try:
            return datetime.combine(self.day, start, tzinfo=LOCAL_ZONE).astimezone(UTC)
        except OverflowError:
            return None
