"""Availability: providers' working hours (local time) cut into slots, minus places taken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.models import Provider, SlotUsage
from bookings.providers import WEEKDAYS
from core.clock import as_utc
from core.localtime import LOCAL_ZONE, local_midnight, to_local


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A start time when a provider can take a booking of the asked length; times in UTC."""

    provider_id: str
    starts_at: datetime
    ends_at: datetime
    free: int

    @property
    def starts_local(self) -> datetime:
        """The start in Kazakhstan's local time."""
        return to_local(self.starts_at)


def region_matches(provider_region: str, region: str) -> bool:
    """A KATO prefix covers every code that starts with it, in either direction."""
    return provider_region.startswith(region) or region.startswith(provider_region)


async def providers_for(
    session: AsyncSession, service: str, region: str | None, *, wheelchair: bool = False
) -> list[Provider]:
    """Active providers of a service in a region (all regions when None), by id."""
    rows = await session.scalars(select(Provider).where(Provider.active).order_by(Provider.id))
    return [
        provider
        for provider in rows
        if service in provider.services
        and (region is None or region_matches(provider.region_prefix, region))
        and (provider.wheelchair or not wheelchair)
    ]


def _runs(provider: Provider, day: date) -> list[list[datetime]]:
    """The slot starts (UTC) of a local day, one list per working span."""
    step = timedelta(minutes=provider.slot_minutes)
    runs: list[list[datetime]] = []
    for opens, closes in provider.hours.get(WEEKDAYS[day.weekday()], []):
        start = datetime.combine(day, time.fromisoformat(opens), tzinfo=LOCAL_ZONE)
        end = datetime.combine(day, time.fromisoformat(closes), tzinfo=LOCAL_ZONE)
        run: list[datetime] = []
        while start + step <= end:
            run.append(as_utc(start))
            start += step
        runs.append(run)
    return runs


def slots_needed(provider: Provider, hours: int) -> int:
    """How many consecutive slots a booking of `hours` takes."""
    return max(1, -(-hours * 60 // provider.slot_minutes))


def booking_slots(provider: Provider, starts_at: datetime, hours: int) -> list[datetime] | None:
    """The slots a booking would take, or None when it is not within one working span."""
    starts_at = as_utc(starts_at)
    count = slots_needed(provider, hours)
    for run in _runs(provider, to_local(starts_at).date()):
        if starts_at in run:
            index = run.index(starts_at)
            window = run[index : index + count]
            return window if len(window) == count else None
    return None


async def used_places(
    session: AsyncSession, providers: Sequence[Provider], service: str, start: date, end: date
) -> dict[tuple[str, datetime], int]:
    """Places taken per (provider, slot start) in the local days from start to end."""
    query = select(SlotUsage).where(
        SlotUsage.provider_id.in_([provider.id for provider in providers]),
        SlotUsage.service == service,
        SlotUsage.slot_start >= local_midnight(start),
        SlotUsage.slot_start < local_midnight(end + timedelta(days=1)),
    )
    return {(row.provider_id, row.slot_start): row.used for row in await session.scalars(query)}


async def free_slots(
    session: AsyncSession,
    providers: Sequence[Provider],
    service: str,
    start: date,
    end: date,
    hours: int,
    now: datetime,
) -> list[FreeSlot]:
    """Every start in the local days start..end where `hours` fit, later than now, by time."""
    used = await used_places(session, providers, service, start, end)
    found: list[FreeSlot] = []
    for provider in providers:
        capacity = int(provider.services[service])
        count = slots_needed(provider, hours)
        step = timedelta(minutes=provider.slot_minutes)
        day = start
        while day <= end:
            for run in _runs(provider, day):
                for index in range(len(run) - count + 1):
                    window = run[index : index + count]
                    if window[0] <= now:
                        continue
                    free = min(capacity - used.get((provider.id, slot), 0) for slot in window)
                    if free > 0:
                        found.append(FreeSlot(provider.id, window[0], window[-1] + step, free))
            day += timedelta(days=1)
    return sorted(found, key=lambda slot: (slot.starts_at, slot.provider_id))
