"""How long an SMS is in UCS-2 parts, and how an alert text is cut to fit.

Alerts go out in UCS-2 (Kazakh and Russian need it): 70 characters fit in one part; a longer
text is split into parts of 67 (the rest carries the concatenation header). A character
outside the Basic Multilingual Plane takes two UCS-2 units.
"""

from __future__ import annotations

SINGLE_PART = 70
MULTI_PART = 67
MAX_PARTS = 3
ELLIPSIS = "…"


def units(text: str) -> int:
    """UTF-16 code units: what UCS-2 SMS lengths count."""
    return len(text.encode("utf-16-be")) // 2


def parts(text: str) -> int:
    """How many SMS parts the text takes."""
    size = units(text)
    if size <= SINGLE_PART:
        return 1
    return -(-size // MULTI_PART)


def capacity(max_parts: int = MAX_PARTS) -> int:
    """UCS-2 units that fit in `max_parts` parts."""
    return SINGLE_PART if max_parts == 1 else MULTI_PART * max_parts


def fit(text: str, max_parts: int = MAX_PARTS) -> str:
    """The text unchanged when it fits; else cut at the last word that fits, with "…".

    Callers put the action first, so what is cut is the least important part.
    """
    text = " ".join(text.split())
    limit = capacity(max_parts)
    if units(text) <= limit:
        return text
    room = limit - units(ELLIPSIS)
    cut = text
    while units(cut) > room:
        cut = cut[: len(cut) - max(1, (units(cut) - room) // 2)]
    if " " in cut and not text[len(cut) : len(cut) + 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-—") + ELLIPSIS
