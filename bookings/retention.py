"""What bookings keep, and for how long (see `core.retention`).

A booking's address, shared place and purpose say where a person lives and what for; they are
needed until the service is given. Some days after a booking is over (its time has passed, or it
was declined, cancelled, completed or missed: whichever came first) they are emptied. Service,
provider, times, hours and status stay, for the coordinators' figures and the yearly quotas.

What a person still needs is never touched: a booking still to come, and a request without a
time that is still waiting or confirmed, keep everything, however old they are.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.lifecycle import ACTIVE
from bookings.models import Booking
from core.retention import Policy, Rule, anonymise


def rules(policy: Policy) -> list[Rule]:
    """Addresses, places and purposes of bookings over `policy.booking_days` ago emptied."""

    async def addresses(session: AsyncSession, now: datetime) -> int:
        cutoff = now - timedelta(days=policy.booking_days)
        ended = func.coalesce(Booking.ends_at, Booking.starts_at)
        over = or_(
            ended < cutoff,  # its time passed long ago, whatever its status says
            and_(Booking.status.not_in(ACTIVE), Booking.updated_at < cutoff),  # finished long ago
        )
        return await anonymise(
            session,
            Booking,
            over,
            Booking.address,
            Booking.latitude,
            Booking.longitude,
            Booking.purpose,
        )

    return [
        Rule(
            key="booking_addresses_emptied",
            label="Addresses, places and purposes of bookings emptied (over "
            f"{policy.booking_days} days after the booking)",
            apply=addresses,
        )
    ]
