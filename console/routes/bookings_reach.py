"""Reaching the person behind a booking: a message through the bot, their phone and the
address a service comes to on request.

Registered before the board's `/bookings/{id}/{action}` so these two paths are not taken
for steps of the booking's lifecycle.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bookings import coordinator, reach_out
from bookings.errors import BookingError, BookingNotFound
from console.context import ConsoleContext
from console.deps import Context
from console.language import words_for
from console.routes.bookings_board import FILTER_NAMES, board_page, error_words, scope_of
from console.security import actor_of, allow, client_address
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)


def _back(back: str) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in parse_qsl(back, keep_blank_values=True)
        if name in FILTER_NAMES
    ]


async def _check_scope(request: Request, ctx: ConsoleContext, booking_id: int) -> None:
    scope = scope_of(request)
    if scope is None:
        return
    async with ctx.sessions() as session:
        if not await coordinator.in_regions(session, booking_id, scope):
            raise BookingNotFound(booking=booking_id)


@router.post("/bookings/{booking_id}/message")
@allow(Role.COORDINATOR, Role.ADMIN)
async def message(
    request: Request,
    ctx: Context,
    booking_id: int,
    text: Annotated[str, Form(max_length=20_000)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Write to the person through the bot about their booking."""
    pairs = _back(back)
    try:
        await _check_scope(request, ctx, booking_id)
        async with ctx.sessions.begin() as session:
            await reach_out.message_person(
                session,
                booking_id,
                text,
                actor=actor_of(request),
                now=ctx.clock.now(),
                origin=client_address(request),
            )
    except BookingError as error:
        words = words_for(request)
        said = error_words(ctx, words, error, booking_id)
        return await board_page(
            request,
            ctx,
            pairs,
            problem=words("console.bookings.not_sent", why=said),
            message_for=(booking_id, text, said),
            status_code=404 if isinstance(error, BookingNotFound) else 400,
        )
    target = urlencode([*pairs, ("done", "messaged"), ("id", str(booking_id))])
    return RedirectResponse(f"/bookings?{target}#booking-{booking_id}", status_code=303)


Reveal = Callable[..., Awaitable[str]]
"""`reach_out.reveal_phone` or `reveal_address`: the value shown, the showing audited."""


@router.post("/bookings/{booking_id}/phone")
@allow(Role.COORDINATOR, Role.ADMIN)
async def phone(
    request: Request,
    ctx: Context,
    booking_id: int,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Show the person's phone in their row; the showing is in the audit log."""
    return await _show(request, ctx, booking_id, back, reach_out.reveal_phone, "phone")


@router.post("/bookings/{booking_id}/address")
@allow(Role.COORDINATOR, Role.ADMIN)
async def address(
    request: Request,
    ctx: Context,
    booking_id: int,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Show where a service comes to the person, in its row; the showing is in the audit log."""
    return await _show(request, ctx, booking_id, back, reach_out.reveal_address, "address")


async def _show(
    request: Request,
    ctx: ConsoleContext,
    booking_id: int,
    back: str,
    reveal: Reveal,
    what: Literal["phone", "address"],
) -> Response:
    """The board again, with one booking's phone or address shown in its row."""
    pairs = _back(back)
    words = words_for(request)
    try:
        await _check_scope(request, ctx, booking_id)
        async with ctx.sessions.begin() as session:
            shown = await reveal(
                session,
                booking_id,
                actor=actor_of(request),
                now=ctx.clock.now(),
                origin=client_address(request),
            )
    except BookingError as error:
        said = error_words(ctx, words, error, booking_id)
        status = 404 if isinstance(error, BookingNotFound) else 409
        return await board_page(request, ctx, pairs, problem=said, status_code=status)
    notice = words(f"console.bookings.{what}_shown", id=booking_id)
    if what == "phone":
        return await board_page(request, ctx, pairs, notice=notice, phones={booking_id: shown})
    return await board_page(request, ctx, pairs, notice=notice, addresses={booking_id: shown})
