"""Database tables of the core: people, consents, conversations, handover requests, audit,
messages kept for staff to teach the assistant."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from core.encryption import EncryptedFloat, EncryptedText


class Base(DeclarativeBase):
    """Base of every table; Alembic migrations are written against its metadata."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class Person(Base):
    """Somebody who talks to the bot. Everything here is personal data."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(2))
    answer_mode: Mapped[str] = mapped_column(String(8), default="text")
    speech_rate: Mapped[int] = mapped_column(Integer, default=100)
    speech_language: Mapped[str | None] = mapped_column(String(2), default=None)
    """Voice messages are heard in this language instead of `language` (a Kazakh speaker who
    chose to speak Russian while no Kazakh speech model is installed)."""
    disability_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str | None] = mapped_column(String(9), default=None)
    """Where they live (a KATO code): asked at their first booking or taken from their warning
    sign-up; bookings choose providers there."""
    phone: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    onboarded_at: Mapped[datetime | None] = mapped_column(default=None)
    blocked_bot_at: Mapped[datetime | None] = mapped_column(default=None)
    voice_refused_at: Mapped[datetime | None] = mapped_column(default=None)
    """Telegram refused a voice note to them (their privacy settings): the text goes instead."""
    created_at: Mapped[datetime]

    consents: Mapped[list[Consent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class Consent(Base):
    """That a person agreed to a text, which version of it, and when."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    text_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    given_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)

    person: Mapped[Person] = relationship(back_populates="consents")


class Conversation(Base):
    """Where a person is in the dialogue, the menu on screen and the last reply."""

    __tablename__ = "conversations"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str | None] = mapped_column(String(64), default=None)
    menu: Mapped[list[str]] = mapped_column(JSON, default=list)
    topic: Mapped[str | None] = mapped_column(String(64), default=None)
    """The article last answered, for "more" and "source"."""
    draft: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    """A booking being filled in; it survives a change of language or mode."""
    last_reply: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    language: Mapped[str | None] = mapped_column(String(2), default=None)
    """The language of the person's last message when it differs from the profile's: kept
    through follow-ups, choices and multi-step flows until they write in another language."""
    updated_at: Mapped[datetime]


class HandoverRequest(Base):
    """A person asked to talk to a human, or reported an emergency (kind "emergency")."""

    __tablename__ = "handover_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    """None for a registrant who answered an alert by SMS and does not use the bot."""
    language: Mapped[str] = mapped_column(String(2))
    alert_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    """The alert this answers ("I need help"); an id in the alerts package's table."""
    registrant_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """Who on the registration list asked; an id in the alerts package's table."""
    kind: Mapped[str] = mapped_column(String(16), default="person", server_default="person")
    danger: Mapped[str | None] = mapped_column(String(16), default=None)
    latitude: Mapped[float | None] = mapped_column(EncryptedFloat, default=None)
    longitude: Mapped[float | None] = mapped_column(EncryptedFloat, default=None)
    note: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    name: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    """The name the person shows in Telegram, for the dispatcher to address them by. Kept only
    here, encrypted, and removed with the place by retention."""
    status: Mapped[str] = mapped_column(String(16), default="open")
    """open, taken (a member of staff is on it) or resolved."""
    created_at: Mapped[datetime]
    taken_by: Mapped[str | None] = mapped_column(String(64), default=None)
    taken_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    talking: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    """A dispatcher took it and talks with the person: their messages go to the thread."""


class HelpMessage(Base):
    """One message of a help request's thread: the person's words (typed, heard from a voice
    message, a shared place, an SMS reply) or a dispatcher's. Personal data: removed with the
    request's place by retention, deleted with the request."""

    __tablename__ = "help_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("handover_requests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(8))
    """"person" or "staff"."""
    channel: Mapped[str] = mapped_column(String(16))
    """text, voice (the words are its transcript), location, button, sms or telegram."""
    text: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    actor: Mapped[str | None] = mapped_column(String(64), default=None)
    """The member of staff who wrote it ("staff:aigul"); None for the person."""


class AuditEntry(Base):
    """Who did what, when, from where. Holds no personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(64), default=None)
    origin: Mapped[str | None] = mapped_column(String(64), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReviewItem(Base):
    """A message the assistant was unsure about, or that its sender corrected, kept (masked)
    for staff to say which intent it was. Only from people who agreed to it ("teach me")."""

    __tablename__ = "nlu_review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(EncryptedText)
    """The message with phone numbers, e-mails, long numbers and names masked."""
    reason: Mapped[str] = mapped_column(String(16))
    """unsure, corrected, repeated or handover."""
    predicted: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    chosen: Mapped[str | None] = mapped_column(String(64), default=None)
    """The topic the person picked when the bot asked which one they meant, if they did."""
    created_at: Mapped[datetime] = mapped_column(index=True)
    label: Mapped[str | None] = mapped_column(String(64), default=None)
    """The intent staff chose, or "not_a_request"; None while it waits."""
    labelled_by: Mapped[str | None] = mapped_column(String(64), default=None)
    labelled_at: Mapped[datetime | None] = mapped_column(default=None)
