"""A long SMS sent again goes under its first concatenation reference, with only the parts
the SMS centre has not answered.

A message in parts is one message on the phone because every part carries the same
reference. When the link goes, or the SMS centre dies, while a message's parts are out, the
message is retried; sent again whole under a new reference, the phone would show it twice
whenever the first parts all got through but an answer was lost (SMPP 3.4 cannot ask). So
the channel keeps, for each message key that is to be retried, its reference and the SMS
centre's ids of the parts already answered: the retry sends only the rest, under the same
reference, and the phone puts one message together (a part sent twice under one reference
and index is one part to a handset).

Kept in this process's memory, a bounded number of messages; a message retried by another
process, or after a restart, goes whole under a new reference.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

KEPT = 10_000
"""Messages remembered at most; the oldest go first (a retry comes within minutes)."""


@dataclass
class Unfinished:
    """A long SMS whose parts were not all answered when the link dropped."""

    text: str
    reference: int
    answered: dict[int, str] = field(default_factory=dict)
    """Part index (0-based) → the SMS centre's message id of the part it answered."""


class UnfinishedMessages:
    """Messages in parts to be retried, by their `Outgoing.key`."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._messages: OrderedDict[str, Unfinished] = OrderedDict()

    def get(self, key: str, text: str) -> Unfinished | None:
        """What was sent of this message before; None if nothing, or if its text changed
        (a changed text is a new message, cut anew)."""
        found = self._messages.get(key)
        return found if found is not None and found.text == text else None

    def keep(self, key: str, unfinished: Unfinished) -> None:
        self._messages[key] = unfinished
        self._messages.move_to_end(key)
        while len(self._messages) > self._kept:
            self._messages.popitem(last=False)

    def forget(self, key: str) -> None:
        self._messages.pop(key, None)

    def __len__(self) -> int:
        return len(self._messages)
