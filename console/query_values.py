"""Values from a page's query string, checked: a wrong one is a problem named in words.

A date outside 2000–2100 or a page number past 100,000 is no real filter, and would overflow
date arithmetic or the database's offset; such a value is refused like a misspelt one. The
problem is `Said`, so the page says it in its language (`Words.said_text`).
"""

from __future__ import annotations

from datetime import date

from core.said import Said

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_PAGE = 100_000


def day_value(text: str, name: str, problems: dict[str, Said]) -> date | None:
    """A YYYY-MM-DD day, or None (a problem noted under `name` when the text is wrong)."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if text.isascii() else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems[name] = Said("console.bookings.bad_day", first=FIRST_YEAR, last=LAST_YEAR)
        return None
    return day


def page_value(text: str, problems: dict[str, Said]) -> int:
    """A page number from 1 to MAX_PAGE; 1 (and a problem) when the text is not one."""
    if not text:
        return 1
    if text.isascii() and text.isdecimal() and len(text) <= 6 and 1 <= int(text) <= MAX_PAGE:
        return int(text)
    problems["page"] = Said("console.audit.bad_page")
    return 1
