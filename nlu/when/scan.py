"""Finding patterns in normalised text and masking what was found, so it is read only once."""

from __future__ import annotations

import re
from collections.abc import Callable

MASK = "#"


def take(
    pattern: re.Pattern[str],
    text: str,
    keep: Callable[[re.Match[str], str], bool] | None = None,
) -> tuple[list[re.Match[str]], str]:
    """The matches of `pattern` that `keep` accepts, and the text with them masked."""
    found = [match for match in pattern.finditer(text) if keep is None or keep(match, text)]
    if not found:
        return found, text
    parts: list[str] = []
    last = 0
    for match in found:
        parts.append(text[last : match.start()])
        parts.append(MASK * (match.end() - match.start()))
        last = match.end()
    parts.append(text[last:])
    return found, "".join(parts)


def number(match: re.Match[str], group: str) -> int | None:
    """A group's digits as an int, or None when the group did not take part."""
    value = match.group(group)
    return None if value is None else int(value)
