"""The contract of safety answers: what a message sent after a warning must tell the dispatcher.

Each row is a message a person could send after a warning, in kk, ru or en, and what the
dispatcher must see. The rows are written for this table (not taken from the training data)
and cover negated, doubtful, conditional and past safety, somebody else in danger, danger
without a danger word, typed calls for help, Kazakh without its special letters, Latin
Kazakh, mixed Kazakh–Russian, speech as a recogniser writes it, and plain "I'm safe".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Expect(StrEnum):
    SAFE = "safe"
    """The answer is "safe"; no call for help; follow-ups stop."""
    HELP = "help"
    """The answer is "help" and one call for help, linked to the warning, is in the inbox."""
    HELP_OR_UNCLEAR = "help or unclear"
    """As HELP, or "unclear" with the bot's "Are you safe?" question; never "safe"."""


class Kind(StrEnum):
    NEGATED = "negated"
    DOUBT = "doubt"
    CONDITION = "condition"
    PAST = "past"
    OTHER_PERSON = "somebody else"
    DISGUISED = "disguised emergency"
    ASKS_HELP = "asks for help"
    PLAIN_LETTERS = "Kazakh without special letters"
    LATIN = "Latin Kazakh"
    MIXED = "mixed kk-ru"
    SPEECH = "speech style"
    SAFE = "plain safe"


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    text: str
    expect: Expect
    kind: Kind

    def __str__(self) -> str:
        return f"{self.id} [{self.kind}] {self.text!r} (expected {self.expect})"


def table(language: str, rows: list[tuple[str, Expect, Kind]]) -> list[Case]:
    return [
        Case(f"{language}{number:02d}", language, text, expect, kind)
        for number, (text, expect, kind) in enumerate(rows, 1)
    ]
