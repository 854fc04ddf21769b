"""Whose word the region on a person's warning registration is, and when the official list may
change it.

A registrant's region comes from the official list (an import), from the person in the bot
(joining the list, "Change my region") or from staff. It is kept with who said it and when
(`region_source`, `region_set_at`), and the list's own last word is kept beside it
(`list_region`), also while another word stands.

The rule, as people expect it: **the person's own latest word wins over an older list row.**
A social services list is updated by hand and late; somebody who told the bot "I moved to
Astana" must not be warned about Shymkent again because a list that still says Shymkent was
imported the next week. So when the region is the person's word:

- a row that says what the list said before (or a list naming them for the first time: the row
  may be years old) keeps the person's region; the row's coordinates are not taken either (they
  are in the place the person left). If the two differ, staff see it in the import report (a
  line per row, without the places) and the audit entry counts it;
- a row that says something the list did not say before is news from social services, newer
  than the person's word: it applies, and the list's word is the region's again.

A region that is the list's or staff's word is changed by every import that says otherwise,
as before. A region is compared as the region (a district code of the same region is the
same place for this rule), so a more precise list code is not a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alerts.registry import regions

LIST = "list"
"""Said by the official list (an import)."""
PERSON = "bot"
"""Said by the person in the bot: joining the list or "Change my region"."""


def same_region(first: str | None, second: str | None) -> bool:
    """Whether two KATO codes are in the same region or city (unknown codes: equal codes)."""
    if first is None or second is None:
        return first == second
    one, other = regions.by_code(first), regions.by_code(second)
    if one is None or other is None:
        return first == second
    return one.code == other.code


@dataclass(frozen=True, slots=True)
class FromList:
    """What an import does with the region of one row."""

    values: dict[str, Any]
    """The region columns to write."""
    person_stands: bool = False
    """The person's own region stays (and so do their coordinates: the row's are not taken)."""
    conflict: bool = False
    """It stays against a different region: staff should see the row."""


def from_list(existing: Mapping[str, Any] | None, listed: str, now: datetime) -> FromList:
    """The region an import writes for a row saying `listed` about `existing` (None: new)."""
    said = {"region": listed, "region_source": LIST, "region_set_at": now, "list_region": listed}
    if existing is None:
        return FromList(said)
    before = existing["list_region"]
    news = before is not None and before != listed
    if existing["region_source"] == PERSON and not news:
        differs = not same_region(existing["region"], listed)
        return FromList({"list_region": listed}, person_stands=True, conflict=differs)
    if existing["region"] == listed:
        return FromList({"list_region": listed})
    return FromList(said)
