"""The coordinators' bookings board."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.registry.regions import regions as all_regions
from bookings import capacity, coordinator, reach_out
from bookings.coordinator import Filters
from bookings.errors import BookingError, BookingNotFound, IllegalTransition, ReasonRequired
from bookings.lifecycle import STATUSES
from bookings.notices import notify
from console.audit_trail import record
from console.context import ConsoleContext
from console.deps import Context
from console.language import Words, words_for
from console.pages import page
from console.query_values import day_value
from console.security import actor_of, allow, client_address, current_staff
from core.i18n import MissingTranslation
from core.localtime import to_local
from core.models import AuditEntry
from core.profile import Language
from core.said import Said
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)

FILTER_NAMES = ("service", "status", "provider", "region", "from", "to")
CAPACITY_DAYS = 7
ACTIONS = {
    "confirm": "confirmed",
    "decline": "declined",
    "complete": "completed",
    "no-show": "no_show",
}
DONE = {*ACTIONS.values(), "messaged"}
"""What a redirect back to the board says was done (console.bookings.done.<what>)."""


@dataclass(frozen=True)
class BoardQuery:
    """The board's filters as the form sent them; `problems` name the fields that are wrong."""

    values: dict[str, str]
    filters: Filters
    first_day: date
    last_day: date
    problems: dict[str, str]


def _query(
    pairs: list[tuple[str, str]], today: date, known_services: set[str], words: Words
) -> BoardQuery:
    """Filters from the query string. With no `from` at all, the board starts today."""
    raw = {name: value.strip() for name, value in pairs if name in FILTER_NAMES}
    values = {name: raw.get(name, "") for name in FILTER_NAMES}
    if "from" not in raw:
        values["from"] = today.isoformat()
    checked: dict[str, Said] = {}
    day_from = day_value(values["from"], "from", checked)
    day_to = day_value(values["to"], "to", checked)
    problems = {name: words.said_text(said) for name, said in checked.items()}
    if day_from and day_to and day_to < day_from:
        problems["to"] = words("console.bookings.backwards")
        day_to = None
    service = values["service"] if values["service"] in known_services else None
    status = values["status"] if values["status"] in STATUSES else None
    first = day_from or today
    last = day_to or first + timedelta(days=CAPACITY_DAYS - 1)
    return BoardQuery(
        values=values,
        filters=Filters(
            service=service,
            status=status,
            provider_id=values["provider"] or None,
            day_from=day_from,
            day_to=day_to,
        ),
        first_day=first,
        last_day=min(last, first + timedelta(days=capacity.MAX_DAYS - 1)),
        problems=problems,
    )


def scope_of(request: Request) -> tuple[str, ...] | None:
    """The regions whose bookings the member of staff sees: an admin all (None), a
    coordinator their organisation's (KATO prefixes; none assigned, none seen)."""
    staff = current_staff(request)
    return None if staff.has(Role.ADMIN) else staff.regions


def _narrowed(scope: tuple[str, ...] | None, region: str) -> tuple[str, ...] | None:
    """The scope narrowed to the region chosen in the filter (never widened past it)."""
    if not region:
        return scope
    if scope is None:
        return (region,)
    inside = tuple(prefix for prefix in scope if prefix.startswith(region))
    covering = any(region.startswith(prefix) for prefix in scope)
    return (*inside, region) if covering else inside


def _region_names(language: Language, scope: tuple[str, ...] | None) -> dict[str, str]:
    """The regions a filter may choose: all for an admin, a coordinator's own."""
    return {
        region.code: region.name(language)
        for region in all_regions()
        if scope is None
        or any(region.code.startswith(p) or p.startswith(region.code) for p in scope)
    }


def _service_names(ctx: ConsoleContext, language: Language) -> dict[str, str]:
    return {
        service.id: ctx.catalogs.text(language, service.name) for service in ctx.bookings.services()
    }


def error_words(ctx: ConsoleContext, words: Words, error: BookingError, booking_id: int) -> str:
    """A refusal in words for the coordinator."""
    if isinstance(error, IllegalTransition):
        status = str(error.params.get("status", ""))
        if status in STATUSES:
            shown = words(f"console.bookings.status.{status}")
            return words("console.bookings.cannot", id=booking_id, status=shown)
        return words("console.bookings.changed_meanwhile", id=booking_id)
    try:
        return ctx.catalogs.text(words.language, error.key, **error.params)
    except (MissingTranslation, KeyError, IndexError, ValueError):
        return words("console.bookings.not_changed_plain", id=booking_id)


async def board_page(
    request: Request,
    ctx: ConsoleContext,
    pairs: list[tuple[str, str]],
    *,
    notice: str | None = None,
    problem: str | None = None,
    row_error: tuple[int, str] | None = None,
    reason: str = "",
    phones: dict[int, str] | None = None,
    addresses: dict[int, str] | None = None,
    message_for: tuple[int, str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The board; `message_for` is (booking, text, problem) of a message that was refused.
    `phones` and `addresses` are what a coordinator asked to see (audited), by booking."""
    words = words_for(request)
    names = _service_names(ctx, words.language)
    today = to_local(ctx.clock.now()).date()
    query = _query(pairs, today, set(names), words)
    scope = scope_of(request)
    region_names = _region_names(words.language, scope)
    region = query.values["region"] if query.values["region"] in region_names else ""
    found = await ctx.bookings.list_bookings(
        dataclasses.replace(query.filters, region_prefixes=_narrowed(scope, region))
    )
    async with ctx.sessions() as session:
        people = await reach_out.people_of(session, {b.person_id for b in found})
        providers = await capacity.providers(session)
        if scope is not None:
            mine = await coordinator.providers_in(session, scope)
            providers = [p for p in providers if p.id in mine]
        days = await capacity.day_capacity(
            session,
            query.first_day,
            query.last_day,
            provider_id=query.filters.provider_id,
            service=query.filters.service,
        )
    if scope is not None:
        days = [row for row in days if row.provider_id in {p.id for p in providers}]
    if scope is not None and not scope and notice is None:
        notice = words("console.bookings.no_regions")
    dates = sorted({row.day for row in days})
    grid: dict[tuple[str, str], dict[date, capacity.DayCapacity]] = {}
    for row in days:
        grid.setdefault((row.provider_id, row.service), {})[row.day] = row
    if query.problems and problem is None:
        problem = words(
            "console.bookings.filters_unused", problems=" ".join(query.problems.values())
        )
        status_code = 422 if status_code == 200 else status_code
    await record(request, "bookings.viewed", shown=len(found))
    return page(
        request,
        "bookings.html",
        title="console.nav.bookings",
        bookings=found,
        people=people,
        regions=region_names,
        provider_regions={p.id: p.region_prefix for p in providers},
        phones=phones or {},
        addresses=addresses or {},
        comes_to_person={s.id for s in ctx.bookings.services() if s.comes_to_person},
        message_for=message_for,
        shown_most=query.filters.limit,
        values=query.values,
        field_problems=query.problems,
        back=urlencode([(name, query.values[name]) for name in FILTER_NAMES]),
        services=names,
        statuses={status: words(f"console.bookings.status.{status}") for status in STATUSES},
        providers=providers,
        provider_names={p.id: p.name for p in providers},
        capacity_dates=dates,
        capacity_grid=grid,
        first_day=query.first_day,
        last_day=query.last_day,
        notice=notice,
        problem=problem,
        row_error=row_error,
        reason=reason,
        status_code=status_code,
    )


@router.get("/bookings")
@allow(Role.COORDINATOR, Role.ADMIN)
async def board(request: Request, ctx: Context) -> HTMLResponse:
    pairs = list(request.query_params.multi_items())
    params = dict(pairs)
    notice = None
    if params.get("done") in DONE and params.get("id", "").isdigit():
        notice = words_for(request)(f"console.bookings.done.{params['done']}", id=params["id"])
    return await board_page(request, ctx, pairs, notice=notice)


def _stamp_origin(session: AsyncSession, origin: str | None) -> None:
    """Add where the coordinator was to the audit entry the booking step just wrote."""
    for item in session.new:
        if isinstance(item, AuditEntry) and item.origin is None:
            item.origin = origin


@router.post("/bookings/{booking_id}/{action}")
@allow(Role.COORDINATOR, Role.ADMIN)
async def act(
    request: Request,
    ctx: Context,
    booking_id: int,
    action: str,
    back: Annotated[str, Form(max_length=2000)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    pairs = [
        (name, value)
        for name, value in parse_qsl(back, keep_blank_values=True)
        if name in FILTER_NAMES
    ]
    if action not in ACTIONS:
        return await board_page(
            request,
            ctx,
            pairs,
            problem=words_for(request)("console.bookings.no_action", action=action),
            status_code=404,
        )
    actor = actor_of(request)
    service = ctx.bookings
    scope = scope_of(request)
    try:
        async with ctx.sessions.begin() as session:
            if scope is not None and not await coordinator.in_regions(session, booking_id, scope):
                raise BookingNotFound(booking=booking_id)
            if action == "confirm":
                event = await service.confirm(booking_id, actor, session=session)
            elif action == "decline":
                event = await service.decline(booking_id, actor, reason, session=session)
            elif action == "complete":
                event = await service.complete(booking_id, actor, session=session)
            else:
                event = await service.no_show(booking_id, actor, session=session)
            _stamp_origin(session, client_address(request))
            notify(session, event, ctx.clock.now())
    except BookingError as error:
        said = error_words(ctx, words_for(request), error, booking_id)
        return await board_page(
            request,
            ctx,
            pairs,
            problem=words_for(request)("console.bookings.not_changed", id=booking_id, why=said),
            row_error=(booking_id, said) if isinstance(error, ReasonRequired) else None,
            reason=reason,
            status_code=400 if isinstance(error, ReasonRequired) else 409,
        )
    done = ACTIONS[action]
    target = urlencode([*pairs, ("done", done), ("id", str(booking_id))])
    return RedirectResponse(f"/bookings?{target}#booking-{booking_id}", status_code=303)
