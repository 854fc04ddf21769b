"""What a coordinator needs to serve the person who booked: their language and needs, a
message through the bot, their phone and the address a service comes to on an audited request.

Nothing here holds a name: the system never asks people for one. Each step on a booking is
written to the audit log with the booking as its subject, never the person's words.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.errors import BookingError, BookingNotFound
from bookings.models import Booking
from core import audit, notifications
from core.models import Person

MESSAGE_KEY = "booking.coordinator_message"
"""The bot's lead-in for a coordinator's message: "About your booking {booking}: {text}"."""
MAX_MESSAGE = 1000
"""Characters in one message; Telegram's limit is 4,096 with the lead-in."""


class EmptyMessage(BookingError):
    """A coordinator's message to a person was empty."""

    key = "coordinator.error.empty"


class MessageTooLong(BookingError):
    """A coordinator's message to a person was over the length limit."""

    key = "coordinator.error.too_long"


class NotOnTheBot(BookingError):
    """The person blocked the bot, or there is no person behind the booking any more."""

    key = "coordinator.error.no_bot"


class NoPhone(BookingError):
    """The person behind a booking has no phone to show."""

    key = "coordinator.error.no_phone"


class NoAddress(BookingError):
    """The booking has no address."""

    key = "coordinator.error.no_address"


@dataclass(frozen=True, slots=True)
class BookedPerson:
    """The person behind a booking as a coordinator sees them: no name is stored."""

    person_id: int
    language: str
    kinds: tuple[str, ...]
    """Disability kinds from their profile (deaf, blind, mobility...)."""
    reachable: bool
    """The bot can write to them (they have not blocked it)."""


async def people_of(session: AsyncSession, person_ids: Collection[int]) -> dict[int, BookedPerson]:
    """The people behind these bookings, by id."""
    if not person_ids:
        return {}
    rows = await session.scalars(select(Person).where(Person.id.in_(set(person_ids))))
    return {
        person.id: BookedPerson(
            person.id,
            person.language,
            tuple(person.disability_kinds or ()),
            person.blocked_bot_at is None,
        )
        for person in rows
    }


def _record(
    session: AsyncSession,
    action: str,
    booking_id: int,
    actor: str,
    now: datetime,
    origin: str | None,
    **details: str | int | bool | None,
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        subject=f"booking:{booking_id}",
        origin=origin,
        **details,
    )


async def _booking(session: AsyncSession, booking_id: int) -> Booking:
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFound(booking=booking_id)
    return booking


async def message_person(
    session: AsyncSession,
    booking_id: int,
    text: str,
    *,
    actor: str,
    now: datetime,
    origin: str | None,
) -> None:
    """Send the person a message about their booking through the bot (voice too, if that is
    how they listen: the outbox sends as their profile says)."""
    message = text.strip()
    if not message:
        raise EmptyMessage()
    if len(message) > MAX_MESSAGE:
        raise MessageTooLong(length=len(message), most=MAX_MESSAGE)
    booking = await _booking(session, booking_id)
    person = await session.get(Person, booking.person_id)
    if person is None or person.blocked_bot_at is not None:
        raise NotOnTheBot(booking=booking_id)
    notifications.enqueue(
        session, person_id=person.id, key=MESSAGE_KEY, now=now, booking=booking_id, text=message
    )
    _record(session, "booking.messaged", booking_id, actor, now, origin, characters=len(message))


async def reveal_phone(
    session: AsyncSession, booking_id: int, *, actor: str, now: datetime, origin: str | None
) -> str:
    """The phone the person shared with the bot, to call them; the showing is audited."""
    booking = await _booking(session, booking_id)
    person = await session.get(Person, booking.person_id)
    phone = person.phone if person is not None else None
    if not phone:
        raise NoPhone(booking=booking_id)
    _record(session, "booking.phone_shown", booking_id, actor, now, origin)
    return phone


async def reveal_address(
    session: AsyncSession, booking_id: int, *, actor: str, now: datetime, origin: str | None
) -> str:
    """The address the person gave for a service that comes to them; the showing is audited
    (the address itself never goes into the log)."""
    booking = await _booking(session, booking_id)
    if not booking.address:
        raise NoAddress(booking=booking_id)
    _record(session, "booking.address_shown", booking_id, actor, now, origin)
    return booking.address
