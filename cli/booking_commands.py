"""`komek bookings list|confirm|decline|complete|no-show`: coordinators until the console exists."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

import typer

from bookings.coordinator import Filters
from bookings.errors import BookingError
from bookings.events import BookingEvent
from bookings.notices import notify
from bookings.service import BookingService
from cli.start import load_settings, migrated_sessions
from core.clock import SystemClock

bookings_app = typer.Typer(help="Bookings, for coordinators.", no_args_is_help=True)
Actor = Annotated[str, typer.Option("--as", help="Who is acting (written to the audit log).")]
Action = Callable[[BookingService, object], Awaitable[BookingEvent]]


@bookings_app.command("list")
def list_bookings(
    service: Annotated[str | None, typer.Option(help="Only this service.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    day: Annotated[str | None, typer.Option(help="Only this local day, YYYY-MM-DD.")] = None,
) -> None:
    """Bookings with their id, service, local time, hours and status."""

    async def main() -> None:
        async with migrated_sessions(load_settings()) as sessions:
            found = await BookingService(sessions, SystemClock()).list_bookings(
                Filters(
                    service=service,
                    status=status,
                    day_from=date.fromisoformat(day) if day else None,
                    day_to=date.fromisoformat(day) if day else None,
                )
            )
        for booking in found:
            when = booking.starts_local.strftime("%Y-%m-%d %H:%M") if booking.starts_local else "-"
            typer.echo(
                f"{booking.id}\t{booking.service}\t{when}\t{booking.hours}h\t{booking.status}"
            )

    asyncio.run(main())


def _act(
    booking_id: int, actor: str, run: Callable[..., Awaitable[BookingEvent]], **kw: str
) -> None:
    async def main() -> BookingEvent:
        clock = SystemClock()
        async with migrated_sessions(load_settings()) as sessions, sessions.begin() as session:
            service = BookingService(sessions, clock)
            event = await run(service, booking_id, f"staff:{actor}", session=session, **kw)
            notify(session, event, clock.now())
            return event

    try:
        event = asyncio.run(main())
    except BookingError as error:
        typer.echo(f"refused: {error.key} {error.params}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"booking {booking_id}: {event.previous} → {event.status}; the person will be told")


@bookings_app.command()
def confirm(booking_id: int, actor: Actor = "cli") -> None:
    """Confirm a requested booking."""
    _act(booking_id, actor, BookingService.confirm)


@bookings_app.command()
def decline(
    booking_id: int,
    reason: Annotated[str, typer.Option(help="Why, in words the person will read.")],
    actor: Actor = "cli",
) -> None:
    """Decline a requested booking, with a reason."""
    _act(booking_id, actor, BookingService.decline, reason=reason)


@bookings_app.command()
def complete(booking_id: int, actor: Actor = "cli") -> None:
    """Mark a confirmed booking as done."""
    _act(booking_id, actor, BookingService.complete)


@bookings_app.command("no-show")
def no_show(booking_id: int, actor: Actor = "cli") -> None:
    """Mark that the person did not come."""
    _act(booking_id, actor, BookingService.no_show)
