"""A refused change to a staff account or an API sender."""

from __future__ import annotations


class AccountError(Exception):
    """A refused account operation; the message is for the member of staff."""
