"""BookingService: the entry point the bot, console and scheduler call.

Each method runs in its own transaction, or inside the caller's when given `session=` (the bot
passes its turn's session: on SQLite there is one pooled connection, so a second session would
wait for the first). A refused operation leaves the caller's transaction unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings import coordinator, counters, requests
from bookings.availability import FreeSlot, free_slots, providers_for
from bookings.catalog import Catalog, Service, load_catalog
from bookings.coordinator import Filters
from bookings.eligibility import Eligibility, check
from bookings.errors import BookingNotFound
from bookings.events import BookingEvent, BookingView
from bookings.lifecycle import ACTIVE, apply
from bookings.models import Booking
from bookings.providers import ProviderSpec, load_providers, seed_providers
from bookings.reminders import Reminder, ReminderKind, due_reminders, mark_sent
from bookings.requests import Details
from core.clock import Clock, as_utc
from core.database import SessionFactory
from core.localtime import local_year
from core.models import Person
from core.people import person_ref


class BookingService:
    """Bookings for people and coordinators. Raises BookingError subclasses with i18n keys."""

    def __init__(
        self, sessions: SessionFactory, clock: Clock, catalog: Catalog | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.catalog = catalog or load_catalog()

    @asynccontextmanager
    async def _transaction(self, session: AsyncSession | None) -> AsyncIterator[AsyncSession]:
        """The caller's session as it is, or a new transaction committed at the end."""
        if session is not None:
            yield session
            return
        async with self._sessions.begin() as own:
            yield own

    async def seed_providers(
        self, specs: Sequence[ProviderSpec] | None = None, *, session: AsyncSession | None = None
    ) -> int:
        """Write providers.yml (or `specs`) to the database; safe to run on every start."""
        async with self._transaction(session) as session:
            return await seed_providers(session, load_providers() if specs is None else specs)

    def services(self) -> list[Service]:
        """Every service, in menu order."""
        return list(self.catalog.services)

    def eligibility(self, person: Person, service: str, group: int | None = None) -> Eligibility:
        """Whether the person may use the service; when not, why and what to do instead."""
        return check(self.catalog.get(service), list(person.disability_kinds or []), group)

    async def free_slots(
        self,
        service: str,
        region: str | None,
        start: date,
        end: date | None = None,
        hours: int = 1,
        *,
        wheelchair: bool = False,
        session: AsyncSession | None = None,
    ) -> list[FreeSlot]:
        """Free start times for `hours` in the local days start..end (one day when end is None)."""
        self.catalog.get(service)
        async with self._transaction(session) as session:
            providers = await providers_for(session, service, region, wheelchair=wheelchair)
            now = self._clock.now()
            return await free_slots(session, providers, service, start, end or start, hours, now)

    async def request(
        self,
        person: Person,
        service: str,
        starts_at: datetime | None = None,
        hours: int = 1,
        *,
        region: str | None = None,
        provider_id: str | None = None,
        address: str | None = None,
        destination_kind: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        purpose: str | None = None,
        wheelchair: bool = False,
        group: int | None = None,
        session: AsyncSession | None = None,
    ) -> BookingEvent:
        """Book a slot (or file a request for sanatorium and assessment) in status requested."""
        details = Details(
            region=region,
            provider_id=provider_id,
            address=address,
            destination_kind=destination_kind,
            latitude=latitude,
            longitude=longitude,
            purpose=purpose,
            wheelchair=wheelchair,
            group=group,
        )
        async with self._transaction(session) as session:
            return await requests.create(
                session, self.catalog, person, service, starts_at, hours, details, self._clock.now()
            )

    async def cancel(
        self,
        person: Person,
        booking_id: int,
        now: datetime | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> BookingEvent:
        """The person cancels their own booking, up to the cutoff before the start."""
        moment = as_utc(now or self._clock.now())
        async with self._transaction(session) as session:
            booking = await session.get(Booking, booking_id)
            if booking is None or booking.person_id != person.id:
                raise BookingNotFound(booking=booking_id)
            return await apply(
                session, self.catalog, booking, "cancel", actor=person_ref(person), now=moment
            )

    async def my_bookings(
        self, person: Person, *, active_only: bool = False, session: AsyncSession | None = None
    ) -> list[BookingView]:
        """The person's bookings, soonest first; requests without a time last."""
        query = select(Booking).where(Booking.person_id == person.id)
        if active_only:
            query = query.where(Booking.status.in_(ACTIVE))
        query = query.order_by(Booking.starts_at.is_(None), Booking.starts_at, Booking.id)
        async with self._transaction(session) as session:
            return [BookingView.of(booking) for booking in await session.scalars(query)]

    async def last_address(
        self, person: Person, *, session: AsyncSession | None = None
    ) -> str | None:
        """The address the person typed or said at their latest booking of a service that comes
        to them, to offer again; None when there is none (or it was a shared place).

        Nothing is copied: it is read from that booking, so it is encrypted like it, goes with
        it when the person's data is deleted, and is in their export as part of it."""
        coming = [service.id for service in self.catalog.services if service.comes_to_person]
        query = (
            select(Booking.address)
            .where(
                Booking.person_id == person.id,
                Booking.service.in_(coming),
                Booking.address.is_not(None),
                Booking.latitude.is_(None),
            )
            .order_by(Booking.created_at.desc(), Booking.id.desc())
            .limit(1)
        )
        async with self._transaction(session) as session:
            return await session.scalar(query)

    async def remaining_hours(
        self,
        person: Person,
        year: int | None = None,
        service: str = "sign_interpreter",
        *,
        session: AsyncSession | None = None,
    ) -> int:
        """Quota hours left in a calendar year (this year by default)."""
        quota = self.catalog.get(service).yearly_quota_hours
        if quota is None:
            raise ValueError(f"{service} has no yearly quota")
        year = year or local_year(self._clock.now())
        async with self._transaction(session) as session:
            return quota - await counters.quota_used(session, person.id, service, year)

    async def list_bookings(
        self, filters: Filters | None = None, *, session: AsyncSession | None = None
    ) -> list[BookingView]:
        """Bookings for coordinators, filtered by service, status, provider and local days."""
        async with self._transaction(session) as session:
            return await coordinator.list_bookings(session, filters or Filters())

    async def _act(
        self,
        booking_id: int,
        action: str,
        actor: str,
        reason: str | None = None,
        session: AsyncSession | None = None,
    ) -> BookingEvent:
        async with self._transaction(session) as session:
            return await coordinator.act(
                session,
                self.catalog,
                booking_id,
                action,
                actor=actor,
                now=self._clock.now(),
                reason=reason,
            )

    async def confirm(
        self, booking_id: int, actor: str, *, session: AsyncSession | None = None
    ) -> BookingEvent:
        """A coordinator confirms a requested booking."""
        return await self._act(booking_id, "confirm", actor, session=session)

    async def decline(
        self, booking_id: int, actor: str, reason: str, *, session: AsyncSession | None = None
    ) -> BookingEvent:
        """A coordinator declines a requested booking; the reason is told to the person."""
        return await self._act(booking_id, "decline", actor, reason, session)

    async def complete(
        self, booking_id: int, actor: str, *, session: AsyncSession | None = None
    ) -> BookingEvent:
        """A coordinator marks a confirmed booking done, once it has started."""
        return await self._act(booking_id, "complete", actor, session=session)

    async def no_show(
        self, booking_id: int, actor: str, *, session: AsyncSession | None = None
    ) -> BookingEvent:
        """A coordinator marks that the person did not come, once it has started."""
        return await self._act(booking_id, "no_show", actor, session=session)

    async def due_reminders(
        self, now: datetime | None = None, *, session: AsyncSession | None = None
    ) -> list[Reminder]:
        """Reminders due now and not yet sent."""
        async with self._transaction(session) as session:
            return await due_reminders(session, now or self._clock.now())

    async def mark_sent(
        self,
        booking_id: int,
        kind: ReminderKind,
        now: datetime | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> bool:
        """Claim a reminder before sending it; False when it was already claimed."""
        async with self._transaction(session) as session:
            return await mark_sent(session, booking_id, kind, now or self._clock.now())
