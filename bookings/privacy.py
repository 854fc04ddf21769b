"""A person's bookings, for their request to see or delete what is stored (core.privacy_export).

Deleting a booking that still holds a slot first gives the slot back, as cancelling would:
otherwise the provider's capacity would stay taken by a booking that no longer exists.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.catalog import Catalog
from bookings.lifecycle import ACTIVE, release
from bookings.models import Booking
from core.clock import Clock
from core.privacy_export import Records, Section, Subject, as_record


def section(catalog: Catalog) -> Section:
    """The bookings section of a person's data."""

    async def export(session: AsyncSession, subject: Subject) -> Records:
        query = select(Booking).where(Booking.person_id.in_(subject.person_ids))
        bookings = (await session.scalars(query.order_by(Booking.id))).all()
        return {"bookings": [as_record(booking) for booking in bookings]}

    async def erase(session: AsyncSession, subject: Subject, clock: Clock) -> None:
        ids = subject.person_ids
        holding = select(Booking).where(Booking.person_id.in_(ids), Booking.status.in_(ACTIVE))
        for booking in (await session.scalars(holding)).all():
            await release(session, catalog, booking)
        await session.execute(
            delete(Booking)
            .where(Booking.person_id.in_(ids))
            .execution_options(synchronize_session="fetch")
        )

    return Section(name="bookings", export=export, erase=erase)
