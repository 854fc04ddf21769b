"""Coordinator operations: list bookings with filters; confirm, decline, complete, no-show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.catalog import Catalog
from bookings.errors import BookingNotFound
from bookings.events import BookingEvent, BookingView
from bookings.lifecycle import apply
from bookings.models import Booking, Provider
from core.localtime import local_midnight


@dataclass(frozen=True, slots=True)
class Filters:
    """Which bookings to list; None means any. Days are local calendar days, inclusive."""

    service: str | None = None
    status: str | None = None
    provider_id: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    limit: int = 200
    region_prefixes: tuple[str, ...] | None = None
    """KATO prefixes of the providers' regions to list (a coordinator's); None: all."""


def _in_regions(prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    """Bookings with a provider in one of these regions (requests without one: none)."""
    if not prefixes:
        return false()
    return Booking.provider_id.in_(
        select(Provider.id).where(or_(*(Provider.region_prefix.like(f"{p}%") for p in prefixes)))
    )


async def in_regions(session: AsyncSession, booking_id: int, prefixes: tuple[str, ...]) -> bool:
    """Whether the booking's provider is in one of the regions."""
    found = await session.scalar(
        select(Booking.id).where(Booking.id == booking_id, _in_regions(prefixes))
    )
    return found is not None


async def providers_in(session: AsyncSession, prefixes: tuple[str, ...]) -> set[str]:
    """Ids of the providers in these regions."""
    if not prefixes:
        return set()
    rows = await session.scalars(
        select(Provider.id).where(or_(*(Provider.region_prefix.like(f"{p}%") for p in prefixes)))
    )
    return set(rows)


async def list_bookings(session: AsyncSession, filters: Filters) -> list[BookingView]:
    """Bookings matching the filters, soonest first (requests without a time last)."""
    query = select(Booking)
    if filters.region_prefixes is not None:
        query = query.where(_in_regions(filters.region_prefixes))
    if filters.service is not None:
        query = query.where(Booking.service == filters.service)
    if filters.status is not None:
        query = query.where(Booking.status == filters.status)
    if filters.provider_id is not None:
        query = query.where(Booking.provider_id == filters.provider_id)
    if filters.day_from is not None:
        query = query.where(Booking.starts_at >= local_midnight(filters.day_from))
    if filters.day_to is not None:
        end = local_midnight(filters.day_to + timedelta(days=1))
        query = query.where(Booking.starts_at < end)
    query = query.order_by(Booking.starts_at.is_(None), Booking.starts_at, Booking.id)
    rows = await session.scalars(query.limit(filters.limit))
    return [BookingView.of(booking) for booking in rows]


async def act(
    session: AsyncSession,
    catalog: Catalog,
    booking_id: int,
    action: str,
    *,
    actor: str,
    now: datetime,
    reason: str | None = None,
) -> BookingEvent:
    """A coordinator's step on a booking: confirm, decline, complete or no_show."""
    if action not in {"confirm", "decline", "complete", "no_show"}:
        raise ValueError(f"not a coordinator action: {action}")
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFound(booking=booking_id)
    return await apply(session, catalog, booking, action, actor=actor, now=now, reason=reason)
