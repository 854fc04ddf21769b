"""The one error a CAP document can produce, whatever went wrong with it."""

from __future__ import annotations


class CapError(ValueError):
    """A document that is not a usable CAP 1.1/1.2 alert.

    `reason` is one line a dispatcher can act on ("line 9: ..."), shown as is by
    `komek alerts cap-check` and in the console; it never contains the document itself.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
