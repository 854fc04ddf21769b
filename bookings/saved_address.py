"""The address a person gave for their bookings, for a dispatcher helping them in an emergency.

It is the address typed or said at the person's latest booking that has one (a service that
comes to them), read from that booking: nothing is copied, so it stays encrypted with it and
goes with it when the person's data is deleted. It may be out of date, so it comes with the
day it was given. Reading it is the caller's to audit; the address itself is never logged.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.models import Booking


@dataclass(frozen=True)
class SavedAddress:
    """An address as the person gave it, and when."""

    text: str
    given_at: datetime


async def saved_address(session: AsyncSession, person_id: int) -> SavedAddress | None:
    """The address of the person's latest booking that has a typed address (not a shared
    place); None when they never gave one."""
    query = (
        select(Booking.address, Booking.created_at)
        .where(
            Booking.person_id == person_id,
            Booking.address.is_not(None),
            Booking.latitude.is_(None),
        )
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(1)
    )
    found = (await session.execute(query)).first()
    if found is None or not found.address:
        return None
    return SavedAddress(text=found.address, given_at=found.created_at)


async def people_with_address(session: AsyncSession, person_ids: Collection[int]) -> set[int]:
    """Which of these people gave an address for a booking (one query; no address is read)."""
    if not person_ids:
        return set()
    query = (
        select(Booking.person_id)
        .where(
            Booking.person_id.in_(list(person_ids)),
            Booking.address.is_not(None),
            Booking.latitude.is_(None),
        )
        .distinct()
    )
    return set(await session.scalars(query))
