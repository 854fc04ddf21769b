"""The lifecycle: requested → confirmed | declined → completed | no_show; or cancelled.

Each step is checked against the table below, gives back slot places and quota hours when a
booking ends early (declined, cancelled), is audited without personal data, and returns the
event the caller tells the person about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bookings import counters
from bookings.catalog import Catalog
from bookings.errors import (
    IllegalTransition,
    NotStarted,
    ReasonRequired,
    TooLateToCancel,
)
from bookings.events import BookingEvent, BookingView, event_key
from bookings.models import Booking
from core import audit
from core.localtime import local_year

REQUESTED = "requested"
CONFIRMED = "confirmed"
DECLINED = "declined"
CANCELLED = "cancelled"
COMPLETED = "completed"
NO_SHOW = "no_show"

ACTIVE: frozenset[str] = frozenset({REQUESTED, CONFIRMED})
STATUSES: tuple[str, ...] = (REQUESTED, CONFIRMED, DECLINED, CANCELLED, COMPLETED, NO_SHOW)


@dataclass(frozen=True, slots=True)
class Step:
    """A transition: the statuses it may start from and the status it leads to."""

    action: str
    sources: frozenset[str]
    target: str


STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        Step("confirm", frozenset({REQUESTED}), CONFIRMED),
        Step("decline", frozenset({REQUESTED}), DECLINED),
        Step("cancel", frozenset({REQUESTED, CONFIRMED}), CANCELLED),
        Step("complete", frozenset({CONFIRMED}), COMPLETED),
        Step("no_show", frozenset({CONFIRMED}), NO_SHOW),
    )
}
RELEASING: frozenset[str] = frozenset({DECLINED, CANCELLED})


async def release(session: AsyncSession, catalog: Catalog, booking: Booking) -> None:
    """Give back the booking's slot places and quota hours."""
    if booking.starts_at is None:
        return
    if booking.provider_id is not None and booking.ends_at is not None:
        await counters.give_slots_between(
            session, booking.provider_id, booking.service, booking.starts_at, booking.ends_at
        )
    if catalog.get(booking.service).yearly_quota_hours is not None:
        year = local_year(booking.starts_at)
        await counters.give_quota(session, booking.person_id, booking.service, year, booking.hours)


def _check(
    catalog: Catalog, booking: Booking, step: Step, now: datetime, reason: str | None
) -> None:
    if booking.status not in step.sources:
        raise IllegalTransition(status=booking.status, action=step.action)
    if step.action == "decline" and not (reason and reason.strip()):
        raise ReasonRequired()
    if step.action == "no_show" and booking.starts_at is None:
        raise IllegalTransition(status=booking.status, action=step.action)
    started = booking.starts_at is None or booking.starts_at <= now
    if step.action in {"complete", "no_show"} and not started:
        raise NotStarted()
    if step.action == "cancel" and booking.starts_at is not None:
        cutoff = timedelta(minutes=catalog.cancel_cutoff_minutes)
        if now > booking.starts_at - cutoff:
            raise TooLateToCancel(cutoff_hours=catalog.cancel_cutoff_minutes // 60)


async def apply(
    session: AsyncSession,
    catalog: Catalog,
    booking: Booking,
    action: str,
    *,
    actor: str,
    now: datetime,
    reason: str | None = None,
) -> BookingEvent:
    """Move the booking one step, or raise a BookingError saying why it cannot."""
    step = STEPS[action]
    _check(catalog, booking, step, now, reason)
    previous = booking.status
    values: dict[str, object] = {"status": step.target, "updated_at": now}
    if step.action == "decline":
        values["reason"] = (reason or "").strip()
    # Conditional on the status read: of two concurrent steps (a person cancels while a
    # coordinator declines) only one matches, so places are never given back twice.
    result = await session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == previous)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise IllegalTransition(status="changed", action=step.action)
    await session.refresh(booking)
    if step.target in RELEASING:
        await release(session, catalog, booking)
    audit.record(
        session,
        at=now,
        actor=actor,
        action=f"booking.{step.target}",
        subject=f"booking:{booking.id}",
        service=booking.service,
        previous=previous,
        hours=booking.hours,
    )
    params: dict[str, str | int] = {"hours": booking.hours}
    if booking.reason and step.target == DECLINED:
        params["reason"] = booking.reason
    view = BookingView.of(booking)
    return BookingEvent(
        booking=view,
        previous=previous,
        status=step.target,
        key=event_key(step.target, view),
        at=now,
        params=params,
    )
