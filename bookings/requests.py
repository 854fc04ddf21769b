"""A person asks for a service: checked, slot places and quota hours taken, stored, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bookings import counters
from bookings.availability import booking_slots, providers_for
from bookings.catalog import Catalog, Service
from bookings.eligibility import check
from bookings.errors import (
    DestinationNotAllowed,
    HoursOutOfRange,
    InThePast,
    NoProvider,
    OutsideHours,
    QuotaExceeded,
    SlotFull,
    TimeRequired,
)
from bookings.events import BookingEvent, BookingView, event_key
from bookings.lifecycle import REQUESTED
from bookings.models import Booking, Provider
from core import audit
from core.clock import as_utc
from core.localtime import local_year
from core.models import Person
from core.people import person_ref


@dataclass(frozen=True, slots=True)
class Details:
    """What the person said besides the time: where, why, and how."""

    region: str | None = None
    provider_id: str | None = None
    address: str | None = None
    destination_kind: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    purpose: str | None = None
    wheelchair: bool = False
    group: int | None = None


async def _candidates(session: AsyncSession, service: Service, details: Details) -> list[Provider]:
    if details.provider_id is not None:
        provider = await session.get(Provider, details.provider_id)
        found = [provider] if provider is not None and service.id in provider.services else []
        return [p for p in found if p.active and (p.wheelchair or not details.wheelchair)]
    return await providers_for(session, service.id, details.region, wheelchair=details.wheelchair)


def _check_slot_request(
    service: Service, starts_at: datetime | None, hours: int, now: datetime, details: Details
) -> tuple[datetime, int]:
    if starts_at is None:
        raise TimeRequired()
    starts_at = as_utc(starts_at)
    if starts_at <= now:
        raise InThePast()
    if service.unit == "trip":
        hours = service.min_hours
    if not service.min_hours <= hours <= service.max_hours:
        raise HoursOutOfRange(min=service.min_hours, max=service.max_hours)
    if service.destinations and details.destination_kind not in service.destinations:
        raise DestinationNotAllowed(allowed=",".join(service.destinations))
    return starts_at, hours


async def _reserve(
    session: AsyncSession,
    service: Service,
    person: Person,
    starts_at: datetime,
    hours: int,
    candidates: list[Provider],
) -> tuple[Provider, int | None]:
    """Take quota hours, then a place at the first provider with room; raise when none."""
    remaining: int | None = None
    quota = service.yearly_quota_hours
    year = local_year(starts_at)
    if quota is not None:
        if not await counters.take_quota(session, person.id, service.id, year, hours, quota):
            used = await counters.quota_used(session, person.id, service.id, year)
            raise QuotaExceeded(remaining=max(0, quota - used), year=year)
        remaining = quota - await counters.quota_used(session, person.id, service.id, year)
    in_hours = False
    for provider in candidates:
        slots = booking_slots(provider, starts_at, hours)
        if slots is None:
            continue
        in_hours = True
        capacity = int(provider.services[service.id])
        if await counters.take_slots(session, provider.id, service.id, slots, capacity):
            return provider, remaining
    if quota is not None:
        await counters.give_quota(session, person.id, service.id, year, hours)
    raise SlotFull() if in_hours else OutsideHours()


async def create(
    session: AsyncSession,
    catalog: Catalog,
    person: Person,
    service_id: str,
    starts_at: datetime | None,
    hours: int,
    details: Details,
    now: datetime,
) -> BookingEvent:
    """Store a new booking in status requested; raise a BookingError when it cannot be."""
    service = catalog.get(service_id)
    check(service, list(person.disability_kinds or []), details.group).require()
    candidates = await _candidates(session, service, details)
    if service.has_slots and not candidates:
        raise NoProvider(service=service.id)
    located = details.region is not None or details.provider_id is not None
    provider = candidates[0] if candidates and located else None
    remaining: int | None = None
    ends_at: datetime | None = None
    if service.has_slots:
        starts_at, hours = _check_slot_request(service, starts_at, hours, now, details)
        provider, remaining = await _reserve(session, service, person, starts_at, hours, candidates)
        ends_at = starts_at + timedelta(hours=hours)
    else:
        starts_at, hours = None, 0
    booking = Booking(
        person_id=person.id,
        service=service.id,
        provider_id=None if provider is None else provider.id,
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        address=details.address,
        destination_kind=details.destination_kind,
        latitude=details.latitude,
        longitude=details.longitude,
        purpose=details.purpose,
        wheelchair=details.wheelchair,
        status=REQUESTED,
        created_at=now,
        updated_at=now,
        remind_day_at=None if starts_at is None else starts_at - timedelta(days=1),
        remind_hour_at=None if starts_at is None else starts_at - timedelta(hours=1),
    )
    session.add(booking)
    await session.flush()
    audit.record(
        session,
        at=now,
        actor=person_ref(person),
        action="booking.requested",
        subject=f"booking:{booking.id}",
        service=service.id,
        hours=hours,
    )
    params: dict[str, str | int] = {"hours": hours}
    if remaining is not None:
        params["remaining"] = remaining
    view = BookingView.of(booking)
    return BookingEvent(
        booking=view,
        previous=None,
        status=REQUESTED,
        key=event_key(REQUESTED, view),
        at=now,
        params=params,
    )
