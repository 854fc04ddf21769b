"""Providers' capacity for coordinators: per provider, service and local day, places taken of all.

A place is one person in one slot: a provider with 3 interpreters and 8 one-hour slots on a
Monday has 24 places that day; a two-hour booking takes two of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.availability import _runs
from bookings.models import Provider, SlotUsage
from core.localtime import local_midnight, to_local

MAX_DAYS = 31
"""The longest span one capacity table covers."""


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """A provider as bookings need it: the services it gives and the region it serves."""

    id: str
    name: str
    services: tuple[str, ...]
    region_prefix: str = ""
    """The KATO prefix of the region the provider serves."""


@dataclass(frozen=True, slots=True)
class DayCapacity:
    """How many bookings a provider has and can take on one day."""

    provider_id: str
    service: str
    day: date
    used: int
    places: int
    """Every place of the day: slots in the working hours times the capacity per slot."""

    @property
    def free(self) -> int:
        """Places left on the day."""
        return max(0, self.places - self.used)

    @property
    def percent_used(self) -> int:
        """Share of the day's places taken, in percent (0 for a day without places)."""
        return round(100 * self.used / self.places) if self.places else 0


async def providers(session: AsyncSession) -> list[ProviderInfo]:
    """Active providers, by name."""
    rows = await session.scalars(select(Provider).where(Provider.active).order_by(Provider.name))
    return [ProviderInfo(p.id, p.name, tuple(sorted(p.services)), p.region_prefix) for p in rows]


async def day_capacity(
    session: AsyncSession,
    start: date,
    end: date,
    *,
    provider_id: str | None = None,
    service: str | None = None,
) -> list[DayCapacity]:
    """Places taken and in all, for each working day from start to end (local, inclusive)."""
    end = min(end, start + timedelta(days=MAX_DAYS - 1))
    query = select(Provider).where(Provider.active).order_by(Provider.name)
    if provider_id is not None:
        query = query.where(Provider.id == provider_id)
    chosen: Sequence[Provider] = list(await session.scalars(query))
    used = await _used(session, [p.id for p in chosen], start, end)
    found: list[DayCapacity] = []
    for provider in chosen:
        for offered, per_slot in sorted(provider.services.items()):
            if service is not None and offered != service:
                continue
            day = start
            while day <= end:
                slots = sum(len(run) for run in _runs(provider, day))
                if slots:
                    taken = used.get((provider.id, offered, day), 0)
                    found.append(
                        DayCapacity(provider.id, offered, day, taken, slots * int(per_slot))
                    )
                day += timedelta(days=1)
    return found


async def _used(
    session: AsyncSession, provider_ids: list[str], start: date, end: date
) -> dict[tuple[str, str, date], int]:
    """Places taken per (provider, service, local day)."""
    if not provider_ids:
        return {}
    query = select(
        SlotUsage.provider_id, SlotUsage.service, SlotUsage.slot_start, SlotUsage.used
    ).where(
        SlotUsage.provider_id.in_(provider_ids),
        SlotUsage.slot_start >= local_midnight(start),
        SlotUsage.slot_start < local_midnight(end + timedelta(days=1)),
        SlotUsage.used > 0,
    )
    totals: dict[tuple[str, str, date], int] = {}
    for provider_id, service, slot_start, taken in await session.execute(query):
        key = (provider_id, service, to_local(slot_start).date())
        totals[key] = totals.get(key, 0) + taken
    return totals
