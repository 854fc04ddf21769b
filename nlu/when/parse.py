"""Putting the pieces together: one When from a message, with the problem to ask about."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TypeVar

from core.localtime import LOCAL_ZONE
from core.profile import Language
from nlu.when.clock import ClockFound, find_clocks, find_durations, find_parts, find_ranges
from nlu.when.clock import part_of as qualifier_part
from nlu.when.dates import find_dates
from nlu.when.model import AMBIGUOUS, IMPOSSIBLE, PART_END, PAST, When
from nlu.when.normalise import normalise

T = TypeVar("T")
_PROBLEMS = (IMPOSSIBLE, AMBIGUOUS, PAST)
_EARLIEST_AFTERNOON, _LATEST_AFTERNOON = 1, 6
_UNCLEAR_HOUR = 7


def parse_when(text: str, language: Language, now: datetime) -> When:
    """The date, time, part of the day and length of a booking in a message, read in UTC+5."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(LOCAL_ZONE)
    today = local.date()
    problems: set[str] = set()
    rest = normalise(text, language)
    lengths, rest = find_durations(rest)
    dates, rest = find_dates(rest, today, language)
    ranges, rest = find_ranges(rest)
    clocks, rest = find_clocks(rest)

    named = [qualifier_part(clock) for clock in clocks + [start for start, _ in ranges]]
    parts = find_parts(rest) | {part for part in named if part}
    part = _single(parts, problems)

    times: list[time | None] = [_resolve(clock, part, problems) for clock in clocks]
    for start, end in ranges:
        begins, ends = _resolve(start, part, problems), _resolve(end, part, problems)
        times.append(begins)
        if begins is not None and ends is not None:
            lengths.append(_hours_between(begins, ends))
    at = _single({value for value in times if value is not None}, problems)

    for found in dates.found:
        if found.problem:
            problems.add(found.problem)
    day = _single({found.day for found in dates.found if found.day is not None}, problems)
    if dates.vague and day is None:
        problems.add(AMBIGUOUS)
    if IMPOSSIBLE in problems and any(found.problem == IMPOSSIBLE for found in dates.found):
        day = None

    whole = {int(length) for length in lengths if length.is_integer() and length > 0}
    duration = _single(whole, problems)
    if day is not None and _has_passed(day, at, part, local):
        problems.add(PAST)
    problem = next((name for name in _PROBLEMS if name in problems), None)
    return When(day, at, part, duration, problem)


def _single(values: set[T], problems: set[str]) -> T | None:
    """The one value mentioned; more than one different value is ambiguous."""
    if len(values) > 1:
        problems.add(AMBIGUOUS)
        return None
    return next(iter(values), None)


def _resolve(clock: ClockFound, part: str | None, problems: set[str]) -> time | None:
    """The time an hour as written means, or None with 'impossible' or 'ambiguous' noted."""
    hour, minute = clock.hour, clock.minute
    if hour > 23 or minute > 59:
        problems.add(IMPOSSIBLE)
        return None
    qualifier = clock.meridiem or clock.qualifier or part
    resolved = _hour(hour, clock.explicit, qualifier)
    if resolved is None:
        problems.add(AMBIGUOUS)
        return None
    return time(resolved, minute)


def _hour(hour: int, explicit: bool, qualifier: str | None) -> int | None:
    """The 24-hour hour for an hour and what qualifies it, or None when that cannot decide."""
    if qualifier in ("am", "morning"):
        return 0 if qualifier == "am" and hour == 12 else (hour if hour <= 12 else None)
    if qualifier in ("pm", "afternoon"):
        if hour >= 13 or hour == 12:
            return hour
        if qualifier == "afternoon" and hour > _LATEST_AFTERNOON:
            return None  # 'в 10 дня'
        return hour + 12 if hour else None
    if qualifier == "evening":
        return hour if hour >= 13 else (hour + 12 if 1 <= hour <= 11 else None)
    if qualifier == "night":
        if hour == 12:
            return 0
        if hour <= 5 or hour >= 21:
            return hour
        return hour + 12 if 9 <= hour <= 11 else None
    if explicit:
        return hour
    if _EARLIEST_AFTERNOON <= hour <= _LATEST_AFTERNOON:
        return hour + 12  # services work 8 to 20: 'at 3' is 15:00
    return None if hour == _UNCLEAR_HOUR else hour


def _hours_between(start: time, end: time) -> float:
    """The hours from start to end, reading 'from 10 to 2' as ending at 14:00."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0 and end.hour < 12:
        minutes += 12 * 60
    return minutes / 60


def _has_passed(day: date, at: time | None, part: str | None, local: datetime) -> bool:
    """Whether the day, or today's time or part of the day, is already over."""
    if day != local.date():
        return day < local.date()
    moment = at or PART_END.get(part or "")
    return moment is not None and moment <= local.time().replace(tzinfo=None)
