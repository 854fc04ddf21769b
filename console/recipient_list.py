"""Who an alert reached: one row per recipient, with each channel's state and their answer.

Personal data is kept to what a dispatcher needs to act: the registrant's number on the list,
a masked phone, language, kinds of disability and region. Filters pick people by the state
of their latest message on a channel and by their answer ("need help", "no answer").
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from alerts.acks import SMS_REPLY
from alerts.fanout.escalation import NO_ANSWER_STEP
from alerts.models import AlertRecipient, Answer, Delivery, Registrant
from alerts.registry.regions import by_code
from console.alert_progress import CHANNELS, STATES
from console.language import Words
from core.database import SessionFactory
from core.phone_mask import for_staff
from core.profile import Language

PAGE_SIZE = 100
EXPORT_CHUNK = 1000
ANSWER_FILTERS: tuple[tuple[str, str], ...] = tuple(
    (answer, f"console.recipients.answer.{answer}")
    for answer in ("safe", "help", "unclear", "unanswered", "waiting", "no_answer")
)
"""Each answer filter and the catalog key of its words."""
_ANSWER_FILTER_WORDS = {
    "safe": "I'm safe",
    "help": "I need help",
    "unclear": "Unclear: asked again",
    "unanswered": "No answer (all)",
    "waiting": "Not answered yet",
    "no_answer": "No answer after every step",
}
"""The filters in the audit log's words (English, as every audit entry)."""
ESCALATION_STEPS = frozenset({0, 1, 2, 3, NO_ANSWER_STEP})
"""Escalation steps with words in the catalogs (console.recipients.step.<n>)."""
ESCALATION_WORDS = {
    0: "First message",
    1: "Sent again",
    2: "Sent by SMS",
    3: "Contact person told",
    NO_ANSWER_STEP: "Every step tried",
}
"""The steps in the CSV download's words (English)."""
CHANNEL_NAMES = {
    "telegram": "Telegram",
    "sms": "SMS",
    "contact_sms": "SMS to contact person",
}
"""The channels in the CSV download's and the audit log's words (English)."""
_STATE_NAMES = {state: state.capitalize() for state, _ in STATES}


@dataclass(frozen=True)
class RecipientFilter:
    """Which recipients of an alert the list shows."""

    channel: str = ""
    """A channel ("telegram", "sms", "contact_sms") or "" for any."""
    state: str = ""
    """A delivery state of the latest message on the channel, or "" for any."""
    answer: str = ""
    """One of ANSWER_FILTERS, or "" for everyone."""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> RecipientFilter:
        """Unknown values are ignored (a hand-edited address shows everyone, not an error)."""
        channel = query.get("channel", "")
        state = query.get("state", "")
        answer = query.get("answer", "")
        return cls(
            channel=channel if channel in dict(CHANNELS) else "",
            state=state if state in _STATE_NAMES else "",
            answer=answer if answer in dict(ANSWER_FILTERS) else "",
        )

    def as_query(self) -> dict[str, str]:
        return {
            key: value
            for key, value in (
                ("channel", self.channel),
                ("state", self.state),
                ("answer", self.answer),
            )
            if value
        }

    def describe(self) -> str:
        """The filter in words, for the page and the audit log."""
        parts = []
        if self.channel or self.state:
            channel = CHANNEL_NAMES.get(self.channel, "any channel")
            state = _STATE_NAMES.get(self.state, "any state").lower()
            parts.append(f"{channel}: {state}")
        if self.answer:
            parts.append(_ANSWER_FILTER_WORDS[self.answer])
        return "; ".join(parts) or "everyone"

    def describe_in(self, words: Words) -> str:
        """The filter in the page's language."""
        parts = []
        if self.channel or self.state:
            channel = words(
                dict(CHANNELS)[self.channel] if self.channel else "console.recipients.any_channel"
            )
            state = words(
                dict(STATES)[self.state] if self.state else "console.recipients.any_state"
            )
            parts.append(f"{channel}: {state.lower()}")
        if self.answer:
            parts.append(words(dict(ANSWER_FILTERS)[self.answer]))
        return "; ".join(parts) or words("console.recipients.everyone_filter")


@dataclass(frozen=True)
class ChannelState:
    """Where a recipient's latest message on one channel is."""

    state: str
    error: str | None
    step: int

    @property
    def words(self) -> str:
        """In English, for the CSV download."""
        return _STATE_NAMES.get(self.state, self.state)

    @property
    def key(self) -> str:
        """The catalog key of the state's name."""
        return f"console.delivery.{self.state}"


@dataclass(frozen=True)
class RecipientRow:
    """One recipient of an alert as the list shows them (phone masked)."""

    registrant_id: int
    phone: str
    """Masked."""
    language: str
    disability_kinds: tuple[str, ...]
    region: str
    channels: dict[str, ChannelState]
    answer: str | None
    answered_at: datetime | None
    answered_via: str | None
    escalation_step: int
    region_code: str = ""
    """The region's KATO code (the page names it in its own language)."""
    also_answered: tuple[int, ...] = ()
    """Other alerts the same SMS reply answered (a reply answers every open alert it reached)."""

    @property
    def answer_key(self) -> str:
        """The catalog key of the answer's words on the page."""
        if self.answer in (Answer.SAFE, Answer.HELP, Answer.UNCLEAR):
            return f"console.recipients.answered.{self.answer}"
        if self.escalation_step >= NO_ANSWER_STEP:
            return "console.recipients.answer.no_answer"
        return "console.recipients.answer.waiting"

    @property
    def escalation_key(self) -> str | None:
        """The catalog key of the escalation step's words, if it has them."""
        step = self.escalation_step
        if step in ESCALATION_STEPS:
            return f"console.recipients.step.{'last' if step == NO_ANSWER_STEP else step}"
        return None

    @property
    def answer_words(self) -> str:
        if self.answer == Answer.SAFE:
            return "I'm safe"
        if self.answer == Answer.HELP:
            return "I need help"
        if self.answer == Answer.UNCLEAR:
            return "Unclear: asked if safe"
        if self.escalation_step >= NO_ANSWER_STEP:
            return "No answer after every step"
        return "Not answered yet"

    @property
    def escalation_words(self) -> str:
        return ESCALATION_WORDS.get(self.escalation_step, f"Step {self.escalation_step}")

    @property
    def kinds_words(self) -> str:
        return ", ".join(kind.replace("_", " ") for kind in self.disability_kinds)


@dataclass(frozen=True)
class RecipientPage:
    """One page of an alert's recipient list."""

    rows: tuple[RecipientRow, ...]
    page: int
    pages: int
    matching: int


def region_name(code: str, language: Language = Language.EN) -> str:
    region = by_code(code)
    return region.name(language) if region else code


def _conditions(alert_id: int, wanted: RecipientFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        AlertRecipient.alert_id == alert_id,
        AlertRecipient.registrant_id.is_not(None),  # anonymised rows count, but show no one
    ]
    unanswered = AlertRecipient.answer.is_(None)
    if wanted.answer == "safe":
        conditions.append(AlertRecipient.answer == Answer.SAFE.value)
    elif wanted.answer == "help":
        conditions.append(AlertRecipient.answer == Answer.HELP.value)
    elif wanted.answer == "unclear":
        conditions.append(AlertRecipient.answer == Answer.UNCLEAR.value)
    elif wanted.answer == "unanswered":
        conditions.append(unanswered)
    elif wanted.answer == "waiting":
        conditions.append(and_(unanswered, AlertRecipient.escalation_step < NO_ANSWER_STEP))
    elif wanted.answer == "no_answer":
        conditions.append(and_(unanswered, AlertRecipient.escalation_step >= NO_ANSWER_STEP))
    if wanted.channel or wanted.state:
        message, later = aliased(Delivery), aliased(Delivery)
        on_channel = [
            message.alert_id == alert_id,
            message.registrant_id == AlertRecipient.registrant_id,
        ]
        if wanted.channel:
            on_channel.append(message.channel == wanted.channel)
        if wanted.state:
            # the latest message on its channel: no later escalation step sent on it
            newer = exists().where(
                later.alert_id == message.alert_id,
                later.registrant_id == message.registrant_id,
                later.channel == message.channel,
                later.step > message.step,
            )
            on_channel += [message.state == wanted.state, ~newer]
        conditions.append(exists().where(*on_channel))
    return conditions


def _rows_query(alert_id: int, wanted: RecipientFilter) -> Any:
    return (
        select(
            AlertRecipient.registrant_id,
            AlertRecipient.language,
            AlertRecipient.answer,
            AlertRecipient.answered_at,
            AlertRecipient.answered_via,
            AlertRecipient.escalation_step,
            Registrant.phone,
            Registrant.disability_kinds,
            Registrant.region,
        )
        .join(Registrant, Registrant.id == AlertRecipient.registrant_id)
        .where(*_conditions(alert_id, wanted))
        .order_by(AlertRecipient.registrant_id)
    )


async def _rows(session: AsyncSession, alert_id: int, query: Any) -> tuple[RecipientRow, ...]:
    found = (await session.execute(query)).all()
    ids = [row.registrant_id for row in found]
    channels: dict[int, dict[str, ChannelState]] = {}
    if ids:
        messages = await session.execute(
            select(
                Delivery.registrant_id,
                Delivery.channel,
                Delivery.step,
                Delivery.state,
                Delivery.last_error,
            )
            .where(Delivery.alert_id == alert_id, Delivery.registrant_id.in_(ids))
            .order_by(Delivery.step)
        )
        for message in messages:  # a later step on the same channel replaces an earlier one
            channels.setdefault(message.registrant_id, {})[message.channel] = ChannelState(
                message.state, message.last_error, message.step
            )
    together = await _answered_together(session, alert_id, found)
    return tuple(
        RecipientRow(
            registrant_id=row.registrant_id,
            phone=for_staff(row.phone),
            language=row.language,
            disability_kinds=tuple(row.disability_kinds or ()),
            region=region_name(row.region),
            region_code=row.region,
            channels=channels.get(row.registrant_id, {}),
            answer=row.answer,
            answered_at=row.answered_at,
            answered_via=row.answered_via,
            escalation_step=row.escalation_step,
            also_answered=together.get(row.registrant_id, ()),
        )
        for row in found
    )


async def _answered_together(
    session: AsyncSession, alert_id: int, found: Sequence[Any]
) -> dict[int, tuple[int, ...]]:
    """For each row answered by SMS, the other alerts that one reply answered: an SMS reply
    records the same moment on every alert it answers (`alerts.acks`)."""
    by_sms = {
        row.registrant_id: row.answered_at
        for row in found
        if row.answered_via == SMS_REPLY and row.answered_at is not None
    }
    if not by_sms:
        return {}
    others = await session.execute(
        select(AlertRecipient.registrant_id, AlertRecipient.alert_id, AlertRecipient.answered_at)
        .where(
            AlertRecipient.registrant_id.in_(list(by_sms)),
            AlertRecipient.alert_id != alert_id,
            AlertRecipient.answered_via == SMS_REPLY,
            AlertRecipient.answered_at.in_(set(by_sms.values())),
        )
        .order_by(AlertRecipient.alert_id)
    )
    together: dict[int, list[int]] = {}
    for other in others:
        if other.answered_at == by_sms[other.registrant_id]:
            together.setdefault(other.registrant_id, []).append(other.alert_id)
    return {registrant: tuple(alerts) for registrant, alerts in together.items()}


async def recipient_page(
    session: AsyncSession,
    alert_id: int,
    wanted: RecipientFilter,
    page: int,
    *,
    size: int = PAGE_SIZE,
) -> RecipientPage:
    """One page of the recipients who match; a page past the end shows the last one."""
    matching = int(
        await session.scalar(
            select(func.count()).select_from(AlertRecipient).where(*_conditions(alert_id, wanted))
        )
        or 0
    )
    pages = max(1, -(-matching // size))
    page = min(max(1, page), pages)
    query = _rows_query(alert_id, wanted).offset((page - 1) * size).limit(size)
    return RecipientPage(await _rows(session, alert_id, query), page, pages, matching)


async def every_recipient(
    sessions: SessionFactory, alert_id: int, wanted: RecipientFilter
) -> AsyncIterator[Sequence[RecipientRow]]:
    """All who match, in chunks, each read in its own short transaction (for the export)."""
    after = 0
    while True:
        async with sessions() as session:
            query = (
                _rows_query(alert_id, wanted)
                .where(AlertRecipient.registrant_id > after)
                .limit(EXPORT_CHUNK)
            )
            chunk = await _rows(session, alert_id, query)
        if not chunk:
            return
        yield chunk
        after = chunk[-1].registrant_id
