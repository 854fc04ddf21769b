"""Alert tables: the registration list, alerts, their recipients and the delivery ledger.

The delivery ledger is the source of truth of a broadcast: one row per recipient, channel
and step, unique, moved queued → sending → sent → delivered (or failed / expired) by
conditional updates, so that however many workers run and however often a task is handed
out again, a row is sent by one worker at a time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import UTCDateTime
from core.encryption import (
    EncryptedFloat,
    EncryptedText,
    blind_index_default,
    keep_blind_index,
)
from core.models import Base


class Registrant(Base):
    """Somebody on the emergency-registration list. Everything here is personal data."""

    __tablename__ = "registrants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, unique=True
    )
    """The bot user this is, when they use the bot."""
    phone: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    """E.164; encrypted when a data key is set, so it is looked up by `phone_hash`."""
    phone_hash: Mapped[str | None] = mapped_column(
        String(64), default=blind_index_default("phone"), unique=True
    )
    """Blind index of the phone (core.encryption): what lookups by phone compare."""
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None, unique=True)
    disability_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(9), index=True)
    """KATO code: two digits for a region or city of republican significance, more below."""
    region_source: Mapped[str] = mapped_column(String(16), default="list", server_default="list")
    """Whose word the region is: "list" (an import), "bot" (the person), "console" (staff)."""
    region_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When that word was given (None: before this was recorded, on rows older than it)."""
    list_region: Mapped[str | None] = mapped_column(String(9), default=None)
    """What the official list said last, kept while the person's own later word stands
    (alerts.registry.region_word)."""
    latitude: Mapped[float | None] = mapped_column(EncryptedFloat, default=None)
    longitude: Mapped[float | None] = mapped_column(EncryptedFloat, default=None)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    """E.164 of somebody to tell when this person does not answer a severe alert."""
    wants_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    telegram_unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Set when Telegram said the bot is blocked or the chat is gone: SMS is used instead."""
    voice_refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Set when Telegram refused a voice note (their privacy settings): alerts go as text."""
    consent_source: Mapped[str] = mapped_column(String(16))
    """Where the consent was given: "list" (official list), "bot", "console"."""
    consent_version: Mapped[str] = mapped_column(String(16))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    inactive_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When they were marked inactive (no longer on the list); deleted some days later."""
    test_group: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    """Receives Exercise and Test alerts."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


keep_blind_index(Registrant.phone, "phone_hash")


class AlertState(StrEnum):
    """Where an alert is in its life: drafted, waiting for a second person, sending, sent, or
    rejected."""

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SENDING = "sending"
    SENT = "sent"
    REJECTED = "rejected"


class Alert(Base):
    """One CAP message, as received or composed, and where it is in its life."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("sender", "identifier", name="uq_alerts_sender_identifier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(String(200))
    sent: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    msg_type: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    """The highest severity over the info blocks."""
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The alert as plain data (alerts.cap.codec.to_dict)."""
    cap_xml: Mapped[str] = mapped_column(Text)
    """The document as received (or as exported, when composed here)."""
    references: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Ids of the earlier alerts this one updates or cancels."""
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Who in the area: {"kinds": [...], "languages": [...]}; empty lists mean everyone."""
    state: Mapped[str] = mapped_column(String(24), default=AlertState.DRAFT)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When every recipient had been written to the ledger."""
    rejected_by: Mapped[str | None] = mapped_column(String(64), default=None)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    rejection_reason: Mapped[str | None] = mapped_column(Text, default=None)
    """The approver's words; free text, so kept here and not in the audit log."""


class Answer(StrEnum):
    """What a recipient answered to an alert. "Safe" is recorded only when clearly said; a call
    for help stands over an earlier "safe"."""

    SAFE = "safe"
    HELP = "help"
    UNCLEAR = "unclear"
    """An answer that did not say whether the person is safe: they are asked, and their
    follow-ups go on until they say."""


class AlertRecipient(Base):
    """One registrant reached by one alert: their answer and where their escalation is."""

    __tablename__ = "alert_recipients"
    __table_args__ = (
        UniqueConstraint("alert_id", "registrant_id", name="uq_alert_recipients"),
        Index("ix_alert_recipients_due", "next_step_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    registrant_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrants.id", ondelete="CASCADE"), index=True
    )
    """None once anonymised (data retention): the answer stays in the counts."""
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(8), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    answered_via: Mapped[str | None] = mapped_column(String(16), default=None)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)
    """0: first message sent; 1: sent again; 2: sent by SMS; 3: contact told; 4: no answer."""
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When to escalate if there is still no answer; None when nothing more is due."""
    first_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When the alert first left for them on any channel: the escalation steps count from it."""


class DeliveryState(StrEnum):
    """Where one message of the ledger is: queued, being sent, sent (the channel took it),
    delivered (a receipt said so), failed, or expired before it could go."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"


class Channel(StrEnum):
    """How one ledger row reaches somebody."""

    TELEGRAM = "telegram"
    """A text message, or a voice note with the text as caption, depending on the recipient."""
    SMS = "sms"
    CONTACT_SMS = "contact_sms"
    """An SMS to the recipient's contact person, when they did not answer."""
    SMS_ACK = "sms_ack"
    """A short SMS back to somebody who answered an alert by SMS (`alerts.sms_ack`)."""
    SMS_TALK = "sms_talk"
    """A dispatcher's message by SMS to somebody who asked for help by SMS, or the notice that
    the conversation ended (`alerts.fanout.sms_talk`)."""


class Delivery(Base):
    """One message of one alert to one recipient on one channel at one escalation step."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("alert_id", "registrant_id", "channel", "step", name="uq_deliveries"),
        Index("ix_deliveries_batch", "alert_id", "batch", "state"),
        Index("ix_deliveries_provider", "channel", "provider_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    registrant_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrants.id", ondelete="CASCADE"), index=True
    )
    """None once anonymised (data retention): the state stays in the counts."""
    channel: Mapped[str] = mapped_column(String(16))
    step: Mapped[int] = mapped_column(Integer, default=0)
    """The escalation step that queued it (0 for the alert itself)."""
    batch: Mapped[int] = mapped_column(Integer)
    """Deliveries are handed to workers in batches; the batch number of this one."""
    state: Mapped[str] = mapped_column(String(12), default=DeliveryState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    provider_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    worker: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """While sending: the worker owns the row until then; after it, the row is in doubt."""
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """A retry waits until then (Telegram's retry_after, SMSC throttling, backoff)."""
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False)
    """A worker died while sending it: it may have left; it is sent again to be sure."""
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When it became failed or expired."""
    sent_as: Mapped[str | None] = mapped_column(String(8), default=None)
    """What went out on Telegram: "voice" (a voice note with its text) or "text"."""


class PartState(StrEnum):
    """What the SMS centre said of one part of a long SMS."""

    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


class DeliveryPart(Base):
    """One part of a long SMS, by the SMSC's id for it: its receipt may arrive at any process.

    A delivery of several parts is delivered when every part is, and failed at the first part
    that fails; the receipts are matched here, not in one process's memory.
    """

    __tablename__ = "delivery_parts"
    __table_args__ = (
        Index("ix_delivery_parts_message", "message_id"),
        Index("ix_delivery_parts_delivery", "delivery_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    part: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default=PartState.SENT)
    error: Mapped[str | None] = mapped_column(String(200), default=None)


class AlertVoice(Base):
    """A voice note of one alert in one language: synthesised once, uploaded once."""

    __tablename__ = "alert_voices"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    audio: Mapped[bytes] = mapped_column(LargeBinary)
    """OGG/Opus."""
    duration_seconds: Mapped[int] = mapped_column(Integer)
    telegram_file_id: Mapped[str | None] = mapped_column(String(200), default=None)


class SmscBind(Base):
    """A process bound to an SMS centre now, renewed while it stays bound: receipts and
    replies of any process's SMS reach it (`alerts.channels.bind_presence`)."""

    __tablename__ = "smsc_binds"

    process: Mapped[str] = mapped_column(Text, primary_key=True)
    bind: Mapped[str] = mapped_column(Text)
    """Host, port and system_id of the bind: `host:port/system_id`."""
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
