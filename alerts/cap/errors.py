"""The one error a CAP document can produce, whatever went wrong with it."""

from __future__ import annotations


class CapError(ValueError):
    """A document that is not a usable CAP 1.1/1.2 alert.

    `reason` is one line a dispatcher can act on ("line 9: ..."), said in the staff's language
    by `komek alerts cap-check` and the console (`core.said.Said`); it never contains the
    document itself. `detail` is the XML parser's or schema validator's own English message,
    when one of them refused the document: technical detail, kept out of `reason`.
    """

    def __init__(self, reason: str, *, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
