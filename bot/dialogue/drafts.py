"""Drafts: the answers of a flow not finished yet, kept in the conversation between turns.

A flow's draft is a dataclass that says how it is stored (`to_json`) and read back
(`from_json`); `stored()` hands a flow the stored form only while it is fresh.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from bot.dialogue.context import Context
from core.clock import as_utc

DRAFT_LIFETIME = timedelta(minutes=30)
"""A flow left half-way is forgotten after this long."""


class Draft(Protocol):
    """A multi-step flow's unfinished state, stored with the conversation between turns."""

    def to_json(self) -> dict[str, Any]:
        """The draft as the conversation stores it (JSON)."""
        ...


def stored(ctx: Context) -> dict[str, Any] | None:
    """The conversation's stored draft, if it was saved within DRAFT_LIFETIME."""
    draft = ctx.conversation.draft
    updated = ctx.conversation.updated_at
    fresh = updated is not None and ctx.services.clock.now() - as_utc(updated) <= DRAFT_LIFETIME
    return dict(draft) if draft and fresh else None


def save(ctx: Context, draft: Draft | None) -> None:
    """Keep `draft` for the next turn; None drops it."""
    ctx.conversation.draft = draft.to_json() if draft is not None else None
