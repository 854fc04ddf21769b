"""What every alert channel offers the fan-out, and how it reports trouble.

A channel sends one message and says what happened: sent (with the provider's id), or one of
the exceptions below, which the fan-out turns into a retry, a switch to SMS or a failure.
Channels that hear back later (SMS delivery receipts, replies) report to `InboundEvents`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class VoiceNote:
    """A voice note for one alert and language; `file_id` once Telegram has it."""

    alert_id: int
    language: str
    audio: bytes
    duration_seconds: int
    file_id: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient on one channel."""

    key: str
    """Idempotency key of the delivery: alert, registrant, channel and step."""
    delivery_id: int
    alert_id: int
    language: str
    text: str
    chat_id: int | None = None
    phone: str | None = None
    voice: VoiceNote | None = None
    answer_buttons: bool = True
    """Offer "I'm safe" and "I need help" (Telegram buttons; SMS says "reply 1 or 2")."""
    paid_broadcast: bool = False
    """Telegram's allow_paid_broadcast: up to 1,000 messages a second, for Actual alerts."""
    expires: datetime | None = None
    """When the alert expires: an SMS centre keeps the message no longer (validity_period)."""


@dataclass(frozen=True)
class Sent:
    """What a channel says of one message it took: the provider's ids (per SMS part too) and
    what went out."""

    provider_message_id: str | None = None
    voice_file_id: str | None = None
    """The file id Telegram gave an uploaded voice note, to send it by id from then on."""
    sent_as: str | None = None
    """What went out on Telegram: "voice" (with its text) or "text"."""
    voice_refused: bool = False
    """Telegram refused the voice note (the person's privacy settings); the text went instead."""
    part_ids: tuple[str, ...] = ()
    """An SMS sent in several parts: the SMSC's id of every part, in order."""


class ChannelError(Exception):
    """A send that did not succeed; `reason` is short and holds no personal data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:200]


class RetryLater(ChannelError):
    """Try again after `seconds` (Telegram's retry_after, SMSC throttling, a 5xx, a lost link).

    `throttled`: the other side asked us to slow down; that is not a failure of this message.
    `unsent`: the message never left (no link to the SMSC, a refused bind): not a failure of
    this message either; it stays queued for the next bind however long that takes.
    `maybe_sent`: it may have reached the person all the same (no answer to a request that
    went out, a link lost after the write): the retry may send it twice, so the ledger marks
    the delivery in doubt.
    """

    def __init__(
        self,
        reason: str,
        seconds: float,
        *,
        throttled: bool = False,
        unsent: bool = False,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.throttled = throttled
        self.unsent = unsent
        self.maybe_sent = maybe_sent


class Unreachable(ChannelError):
    """This recipient cannot be reached on this channel (blocked the bot, chat gone)."""


class Rejected(ChannelError):
    """The message was refused for good (bad number, message refused); not retried."""


class Channel(Protocol):
    """A way to send one message: Telegram, SMS over SMPP or HTTP, or the sandbox."""

    name: str

    async def send(self, message: Outgoing) -> Sent: ...

    async def close(self) -> None: ...


class InboundEvents(Protocol):
    """Where SMS channels report what they hear back."""

    async def receipt(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        """A delivery receipt for a message the channel sent."""

    async def reply(self, phone: str, text: str) -> None:
        """A text message from a phone (E.164), e.g. "1" (safe) or "2" (help)."""
