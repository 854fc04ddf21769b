"""Values from a page's query string, checked: a wrong one is a problem named in words.

A date outside 2000–2100 or a page number past 100,000 is no real filter, and would overflow
date arithmetic or the database's offset; such a value is refused like a misspelt one.
"""

from __future__ import annotations

from datetime import date

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_PAGE = 100_000


def day_value(text: str, name: str, problems: dict[str, str]) -> date | None:
    """A YYYY-MM-DD day, or None (a problem noted under `name` when the text is wrong)."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if text.isascii() else None
    except ValueError:
        day = None
    if day is None:
        problems[name] = "Give a date as YYYY-MM-DD."
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems[name] = f"Give a date between {FIRST_YEAR} and {LAST_YEAR}."
        return None
    return day


def page_value(text: str, problems: dict[str, str]) -> int:
    """A page number from 1 to MAX_PAGE; 1 (and a problem) when the text is not one."""
    if not text:
        return 1
    if text.isascii() and text.isdecimal() and len(text) <= 6 and 1 <= int(text) <= MAX_PAGE:
        return int(text)
    problems["page"] = f"Give a page number from 1 to {MAX_PAGE:,}."
    return 1
