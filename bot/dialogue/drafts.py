"""Drafts: the answers of a flow not finished yet, kept in the conversation between turns.

A flow's draft is a dataclass naming its flow (`FLOW`) with `to_json()` and `from_json()`.
`load()` and `save()` are the only way in and out, and DRAFT_LIFETIME how long one keeps.
A stored draft that no longer reads is dropped and the turn marked, so the person is told.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, ClassVar, Protocol, Self, TypeVar

import structlog

from bot.dialogue.context import Context
from core.clock import as_utc

log = structlog.get_logger(__name__)

DRAFT_LIFETIME = timedelta(minutes=30)
"""A flow left half-way is forgotten after this long."""


class Unreadable(ValueError):
    """A stored draft does not have the shape its flow reads (saved by another version)."""


class Draft(Protocol):
    """A flow's answers so far, as a dataclass that stores itself as JSON."""

    FLOW: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        """The draft as the conversation stores it (JSON, with "flow": FLOW)."""
        ...

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Self:
        """The draft read back; raises Unreadable (or ValueError) when it does not fit."""
        ...


D = TypeVar("D", bound=Draft)
T = TypeVar("T")


def load(ctx: Context, kind: type[D]) -> D | None:
    """The stored draft of `kind`'s flow, if it was saved within DRAFT_LIFETIME.

    None for no draft, an old one or another flow's. One that no longer reads is dropped
    (logged by flow name only) and `ctx.draft_lost` tells the engine to say so.
    """
    stored = ctx.conversation.draft
    updated = ctx.conversation.updated_at
    if not stored or updated is None:
        return None
    if ctx.services.clock.now() - as_utc(updated) > DRAFT_LIFETIME:
        return None
    flow = stored.get("flow") if isinstance(stored, Mapping) else None
    if isinstance(flow, str) and flow != kind.FLOW:
        return None
    try:
        if flow is None:
            raise Unreadable("no flow")
        return kind.from_json(stored)
    except (Unreadable, ValueError, TypeError, KeyError) as error:
        log.warning("draft.unreadable", flow=kind.FLOW, problem=type(error).__name__)
        drop(ctx)
        ctx.draft_lost = True
        return None


def save(ctx: Context, draft: Draft | None) -> None:
    """Keep `draft` for the next turn; None drops it."""
    ctx.conversation.draft = draft.to_json() if draft is not None else None


def drop(ctx: Context) -> None:
    """Forget the draft of whatever flow was under way."""
    ctx.conversation.draft = None


def text(stored: Mapping[str, Any], key: str) -> str | None:
    """A stored string, or None when it was not stored."""
    return _typed(stored, key, str)


def number(stored: Mapping[str, Any], key: str) -> float | None:
    """A stored number (coordinates), or None when it was not stored."""
    value = stored.get(key)
    if value is None or isinstance(value, float):
        return value
    return float(_typed(stored, key, int) or 0)


def whole(stored: Mapping[str, Any], key: str) -> int | None:
    """A stored whole number (hours, an id), or None when it was not stored."""
    return _typed(stored, key, int)


def flag(stored: Mapping[str, Any], key: str) -> bool | None:
    """A stored yes or no, or None when it was not stored."""
    return _typed(stored, key, bool)


def _typed(stored: Mapping[str, Any], key: str, kind: type[T]) -> T | None:
    value = stored.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise Unreadable(key)
    return value
