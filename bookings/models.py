"""Booking tables: providers, bookings, and the counters that make slots and quotas atomic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import UTCDateTime
from core.encryption import EncryptedFloat, EncryptedText
from core.models import Base


class Provider(Base):
    """An organisation that provides services in a region; seeded from providers.yml."""

    __tablename__ = "booking_providers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_prefix: Mapped[str] = mapped_column(String(9), index=True)
    services: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Capacity per slot, by service id."""
    hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Working hours in local time, by weekday (mon..sun): a list of ["09:00", "18:00"]."""
    slot_minutes: Mapped[int] = mapped_column(Integer, default=60)
    wheelchair: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Booking(Base):
    """A person's booking or request. Personal data: address, location and purpose."""

    __tablename__ = "bookings"
    __table_args__ = (CheckConstraint("hours >= 0", name="ck_bookings_hours"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    service: Mapped[str] = mapped_column(String(32), index=True)
    provider_id: Mapped[str | None] = mapped_column(
        ForeignKey("booking_providers.id"), index=True, default=None
    )
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True, default=None)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    hours: Mapped[int] = mapped_column(Integer, default=0)
    address: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    destination_kind: Mapped[str | None] = mapped_column(String(32), default=None)
    latitude: Mapped[float | None] = mapped_column(EncryptedFloat, default=None)
    longitude: Mapped[float | None] = mapped_column(EncryptedFloat, default=None)
    purpose: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    wheelchair: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remind_day_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True, default=None)
    remind_hour_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True, default=None)
    day_reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    hour_reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class SlotUsage(Base):
    """How many bookings hold one slot of a provider's service; the CHECK forbids overbooking."""

    __tablename__ = "booking_slot_usage"
    __table_args__ = (
        CheckConstraint("used >= 0 AND used <= capacity", name="ck_booking_slot_usage_used"),
    )

    provider_id: Mapped[str] = mapped_column(
        ForeignKey("booking_providers.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)
    capacity: Mapped[int] = mapped_column(Integer)


class QuotaUsage(Base):
    """Hours a person holds of a yearly quota; the CHECK forbids going over it."""

    __tablename__ = "booking_quota_usage"
    __table_args__ = (
        CheckConstraint("used >= 0 AND used <= quota", name="ck_booking_quota_usage_used"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)
    quota: Mapped[int] = mapped_column(Integer)
