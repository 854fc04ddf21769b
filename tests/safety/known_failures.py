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
    "kk04": (
        EVERYWHERE,
        "no answer recorded ('did not understand'); by SMS unclear",
    ),
    "kk07": (EVERYWHERE, "READ AS SAFE"),
    "kk33": (("sms",), "by SMS unclear (the bot reads it as help)"),
    "kk47": (("sms",), "by SMS unclear (the bot reads it as help)"),
    "kk51": (EVERYWHERE, "plain safe read as help: a call for help is opened"),
    "kk56": (EVERYWHERE, "plain safe read as unclear"),
    "ru03": (EVERYWHERE, "READ AS SAFE"),
    "ru05": (EVERYWHERE, "READ AS SAFE"),
    "ru09": (("text", "sms", "predict"), "READ AS SAFE (spoken, without the comma, it is help)"),
    "ru21": (
        EVERYWHERE,
        "no answer recorded ('what did you ask?'); by SMS unclear",
    ),
    "ru22": (("text", "predict"), "predict: no safety decision; the dialogue asks (unclear)"),
    "ru23": (ANSWERED, "unclear: grandmother who cannot get down is not read as help"),
    "ru27": (("sms",), "by SMS unclear (the bot reads it as help)"),
    "ru38": (EVERYWHERE, "no answer recorded ('what did you ask?'); by SMS unclear"),
    "ru40": (("sms",), "by SMS unclear (the bot reads it as help)"),
    "ru47": (EVERYWHERE, "plain safe read as unclear"),
    "en03": (EVERYWHERE, "READ AS SAFE"),
    "en21": (("sms",), "by SMS unclear (the bot reads it as help)"),
}


def not_kept(row: str, how: str) -> str | None:
    """Why the row is not kept when answered `how` ("text", "voice", "sms", "predict")."""
    found = NOT_KEPT.get(row)
    if found is None or how not in found[0]:
        return None
    return f"issue 15, not kept on main yet: {found[1]}"
