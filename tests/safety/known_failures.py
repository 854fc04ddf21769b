"""Rows of the contract that main does not keep yet, each with what happens instead.

They stay in the table and run on every test run as strict expected failures: when the
judgement is fixed the row passes, pytest reports XPASS as a failure, and the entry here is
deleted. Nothing here changes what a row expects.
"""

from __future__ import annotations

ANSWERED = ("text", "voice", "sms")
"""Typed, spoken and by SMS."""
EVERYWHERE = (*ANSWERED, "predict")
"""And in `komek nlu predict`."""

NOT_KEPT: dict[str, tuple[tuple[str, ...], str]] = {
    # row: (ways of answering that break it, what the dispatcher sees instead)
}


def not_kept(row: str, how: str) -> str | None:
    """Why the row is not kept when answered `how` ("text", "voice", "sms", "predict")."""
    found = NOT_KEPT.get(row)
    if found is None or how not in found[0]:
        return None
    return f"issue 15, not kept on main yet: {found[1]}"
