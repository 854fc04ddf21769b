"""The thread of a help request: what the person said, in their own words, and what the
dispatcher wrote back.

The words are personal data: stored encrypted when a data key is set, shown only to
dispatchers, deleted with the request and removed by retention. The audit log records that a
message was added, by whom and how long it was, never the words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit
from core.clock import as_utc
from core.models import HandoverRequest, HelpMessage
from core.text import fold

PERSON = "person"
STAFF = "staff"
MAX_WORDS = 4000
"""Characters kept of one message (Telegram's own limit is 4,096)."""
STOP_WORDS = frozenset(
    fold(word) for word in ("stop", "стоп", "тоқта", "тоқтат", "toqta", "хватит", "конец", "end")
)
"""An SMS of one of these words alone ends a conversation with a dispatcher (the bot has its
own /stop command and button)."""


def ends_talk(text: str) -> bool:
    """The SMS is a stop word alone (any case; punctuation and Kazakh letters folded)."""
    return fold(text) in STOP_WORDS


def add(
    session: AsyncSession,
    request: HandoverRequest,
    *,
    sender: str,
    channel: str,
    text: str | None,
    at: datetime,
    actor: str,
    origin: str | None = None,
) -> HelpMessage:
    """Add one message to the request's thread, in the caller's transaction, and audit it."""
    words = text.strip()[:MAX_WORDS] if text and text.strip() else None
    message = HelpMessage(
        request_id=request.id,
        at=at,
        sender=sender,
        channel=channel,
        text=words,
        actor=actor if sender == STAFF else None,
    )
    session.add(message)
    audit.record(
        session,
        at=at,
        actor=actor,
        action="help.message",
        subject=f"handover:{request.id}",
        origin=origin,
        sender=sender,
        channel=channel,
        characters=len(words or ""),
    )
    return message


async def of_requests(
    session: AsyncSession, request_ids: Iterable[int]
) -> dict[int, list[HelpMessage]]:
    """The threads of these requests, oldest message first."""
    ids = list(request_ids)
    threads: dict[int, list[HelpMessage]] = {request_id: [] for request_id in ids}
    if not ids:
        return threads
    found = await session.scalars(
        select(HelpMessage)
        .where(HelpMessage.request_id.in_(ids))
        .order_by(HelpMessage.request_id, HelpMessage.id)
    )
    for message in found:
        threads[message.request_id].append(message)
    return threads


async def since(session: AsyncSession, request_id: int, after_id: int) -> list[HelpMessage]:
    """Messages of one thread newer than `after_id`, for the live view."""
    found = await session.scalars(
        select(HelpMessage)
        .where(HelpMessage.request_id == request_id, HelpMessage.id > after_id)
        .order_by(HelpMessage.id)
    )
    return list(found)


async def talking_with(session: AsyncSession, person_id: int) -> HandoverRequest | None:
    """The request a dispatcher is talking with this bot user about, if any (the newest)."""
    found: HandoverRequest | None = await session.scalar(
        select(HandoverRequest)
        .where(HandoverRequest.person_id == person_id, HandoverRequest.talking.is_(True))
        .order_by(HandoverRequest.id.desc())
        .limit(1)
    )
    return found


async def talking_with_registrant(
    session: AsyncSession, registrant_id: int
) -> HandoverRequest | None:
    """The request a dispatcher is talking about with somebody who answers by SMS, if any."""
    found: HandoverRequest | None = await session.scalar(
        select(HandoverRequest)
        .where(HandoverRequest.registrant_id == registrant_id, HandoverRequest.talking.is_(True))
        .order_by(HandoverRequest.id.desc())
        .limit(1)
    )
    return found


@dataclass(frozen=True, slots=True)
class ThreadLine:
    """One message of a request's thread as the inbox shows it. Personal data."""

    id: int
    at: datetime
    sender: str
    """"person" or "staff"."""
    channel: str
    text: str | None
    staff: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "sender": self.sender,
            "channel": self.channel,
            "text": self.text,
            "staff": self.staff,
        }


def line(message: HelpMessage) -> ThreadLine:
    return ThreadLine(
        id=message.id,
        at=as_utc(message.at),
        sender=message.sender,
        channel=message.channel,
        text=message.text,
        staff=message.actor.removeprefix("staff:") if message.actor else None,
    )
