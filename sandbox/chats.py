"""A private chat's records: its event log, its stored messages and callback queries."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sandbox.people import Faults, SimUser

Event = dict[str, Any]


@dataclass(slots=True)
class StoredMessage:
    """A message as the bot sees it, with the full markup it was sent with."""

    message: dict[str, Any]
    markup: dict[str, Any] | None = None
    from_bot: bool = False


@dataclass(slots=True)
class ChatLog:
    """One private chat: its seq-numbered events, a wake-up signal, faults and message ids."""

    user: SimUser
    events: list[Event] = field(default_factory=list)
    signal: asyncio.Event = field(default_factory=asyncio.Event)
    faults: Faults = field(default_factory=Faults)
    last_message_id: int = 0
    polls_waiting: int = 0
    """How many event long-polls on this chat are waiting right now."""


@dataclass(slots=True)
class CallbackRecord:
    """A callback query sent to the bot and whether it was answered."""

    chat_id: int
    answered: bool = False
