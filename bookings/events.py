"""What callers get back: plain views of bookings, and events to tell the person about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bookings.models import Booking
from core.localtime import to_local


@dataclass(frozen=True, slots=True)
class BookingView:
    """A booking as data, detached from any session; times in UTC."""

    id: int
    person_id: int
    service: str
    provider_id: str | None
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    hours: int
    address: str | None
    destination_kind: str | None
    latitude: float | None
    longitude: float | None
    purpose: str | None
    wheelchair: bool
    reason: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def starts_local(self) -> datetime | None:
        """The start in Kazakhstan's local time, for showing."""
        return None if self.starts_at is None else to_local(self.starts_at)

    @classmethod
    def of(cls, booking: Booking) -> BookingView:
        """The view of a stored booking."""
        return cls(
            id=booking.id,
            person_id=booking.person_id,
            service=booking.service,
            provider_id=booking.provider_id,
            status=booking.status,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            hours=booking.hours,
            address=booking.address,
            destination_kind=booking.destination_kind,
            latitude=booking.latitude,
            longitude=booking.longitude,
            purpose=booking.purpose,
            wheelchair=booking.wheelchair,
            reason=booking.reason,
            created_at=booking.created_at,
            updated_at=booking.updated_at,
        )


def event_key(status: str, booking: BookingView) -> str:
    """The message key telling the person a booking reached `status`; requests have no time."""
    if booking.starts_at is None:
        return f"booking.event.untimed.{status}"
    return f"booking.event.{status}"


@dataclass(frozen=True, slots=True)
class BookingEvent:
    """A change the person is told about: `key` in the catalogs (core/locales) with `params`.

    The caller fills `{service}` (the service's name in the person's language) and `{when}`
    (booking.starts_local, formatted for the language); `params` holds the rest.
    """

    booking: BookingView
    previous: str | None
    status: str
    key: str
    at: datetime
    params: dict[str, str | int] = field(default_factory=dict)

    @property
    def person_id(self) -> int:
        """Whose booking changed."""
        return self.booking.person_id
