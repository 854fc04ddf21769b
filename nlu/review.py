"""Messages kept so staff can teach the assistant: what it was unsure of, what people corrected.

A message is kept only for a person who agreed to it in the bot's privacy settings (a consent
of topic `CONSENT_TOPIC`), masked (`core.message_masking`) and, with a data key, encrypted
(the column is `EncryptedText`). Staff label each one with the intent it was, or
`NOT_A_REQUEST`; labelled ones become training examples (`nlu.review_export`). Withdrawing the
consent deletes the person's kept messages; retention deletes every one after its time
(`core.retention`), and "forget me" with the person.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit
from core.message_masking import mask
from core.models import Consent, Person, ReviewItem
from core.people import person_ref

CONSENT_TOPIC = "nlu_review"
CONSENT_VERSION = "1"
NOT_A_REQUEST = "not_a_request"
"""The label of a message that asked nothing the assistant should learn (noise, a test)."""
MAX_TEXT = 1000
"""Longer messages are cut: a question is never this long, and staff read a list of them."""


class Reason(StrEnum):
    """Why a message is offered to staff for review."""

    UNSURE = "unsure"
    """The parse was below `nlu.pipeline.CONFIDENT`: the bot asked which topic was meant."""
    CORRECTED = "corrected"
    """The next message said the answer was not what was asked."""
    REPEATED = "repeated"
    """The same question came again soon after the answer."""
    HANDOVER = "handover"
    """The person asked for a human soon after the answer."""


class UnknownLabel(ValueError):
    """A label that is neither a trained intent nor NOT_A_REQUEST."""


class NoSuchItem(LookupError):
    """No kept message has this id (deleted by retention, or by its sender)."""


@dataclass(frozen=True, slots=True)
class Guess:
    """What the assistant made of a message."""

    text: str
    language: str
    intent: str
    confidence: float


async def agreed(session: AsyncSession, person: Person) -> bool:
    """Whether the person agreed that their unclear messages are kept for staff."""
    found = await session.scalar(
        select(Consent.id).where(
            Consent.person_id == person.id,
            Consent.topic == CONSENT_TOPIC,
            Consent.withdrawn_at.is_(None),
        )
    )
    return found is not None


async def agree(session: AsyncSession, person: Person, *, text_key: str, now: datetime) -> None:
    """Record the person's consent (once; agreeing again changes nothing)."""
    if await agreed(session, person):
        return
    session.add(
        Consent(
            person_id=person.id,
            topic=CONSENT_TOPIC,
            text_key=text_key,
            version=CONSENT_VERSION,
            language=person.language,
            given_at=now,
        )
    )
    audit.record(session, at=now, actor=person_ref(person), action="nlu_review.consent_given")


async def withdraw(session: AsyncSession, person: Person, *, now: datetime) -> int:
    """Withdraw the consent and delete the person's kept messages; how many were deleted."""
    had = await agreed(session, person)
    await session.execute(
        delete(Consent).where(Consent.person_id == person.id, Consent.topic == CONSENT_TOPIC)
    )
    result = await session.execute(delete(ReviewItem).where(ReviewItem.person_id == person.id))
    deleted = int(result.rowcount)  # type: ignore[attr-defined]
    if had or deleted:
        audit.record(
            session,
            at=now,
            actor=person_ref(person),
            action="nlu_review.consent_withdrawn",
            deleted=deleted,
        )
    return deleted


async def keep(
    session: AsyncSession, person: Person, guess: Guess, reason: Reason, *, now: datetime
) -> ReviewItem | None:
    """Keep the message, masked, if the person agreed to it; None when they did not."""
    if not guess.text.strip() or not await agreed(session, person):
        return None
    item = ReviewItem(
        person_id=person.id,
        language=guess.language,
        text=mask(" ".join(guess.text.split()))[:MAX_TEXT],
        reason=reason.value,
        predicted=guess.intent,
        confidence=round(guess.confidence, 4),
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def note_choice(session: AsyncSession, item_id: int, intent: str) -> None:
    """The topic the person picked when asked which one they meant (a hint for staff)."""
    item = await session.get(ReviewItem, item_id)
    if item is not None:
        item.chosen = intent


async def kept_count(session: AsyncSession, person: Person) -> int:
    """How many of the person's messages are kept (for "my data")."""
    query = select(func.count()).select_from(ReviewItem).where(ReviewItem.person_id == person.id)
    return int(await session.scalar(query) or 0)


async def waiting(session: AsyncSession, *, limit: int = 100) -> list[ReviewItem]:
    """Messages nobody has labelled yet, oldest first."""
    query = (
        select(ReviewItem)
        .where(ReviewItem.label.is_(None))
        .order_by(ReviewItem.created_at, ReviewItem.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def waiting_count(session: AsyncSession) -> int:
    query = select(func.count()).select_from(ReviewItem).where(ReviewItem.label.is_(None))
    return int(await session.scalar(query) or 0)


async def labelled(session: AsyncSession) -> list[ReviewItem]:
    """Messages staff labelled with an intent (not NOT_A_REQUEST), oldest first."""
    query = (
        select(ReviewItem)
        .where(ReviewItem.label.is_not(None), ReviewItem.label != NOT_A_REQUEST)
        .order_by(ReviewItem.labelled_at, ReviewItem.id)
    )
    return list((await session.scalars(query)).all())


async def label(
    session: AsyncSession,
    item_id: int,
    intent: str,
    *,
    intents: Collection[str],
    actor: str,
    now: datetime,
    origin: str | None = None,
) -> ReviewItem:
    """Say which intent a kept message was (or NOT_A_REQUEST); audited, without its text."""
    if intent != NOT_A_REQUEST and intent not in intents:
        raise UnknownLabel(intent)
    item = await session.get(ReviewItem, item_id)
    if item is None:
        raise NoSuchItem(item_id)
    previous = item.label
    item.label, item.labelled_by, item.labelled_at = intent, actor, now
    audit.record(
        session,
        at=now,
        actor=actor,
        action="nlu_review.labelled",
        subject=f"review:{item.id}",
        origin=origin,
        label=intent,
        predicted=item.predicted,
        previous=previous,
    )
    return item


def choices(intents: Sequence[str]) -> list[str]:
    """What staff may choose from: the trained intents, sorted, then NOT_A_REQUEST."""
    return [*sorted(set(intents) - {NOT_A_REQUEST}), NOT_A_REQUEST]
