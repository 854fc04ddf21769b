"""The help inbox: "I need help" answers and emergency requests from the bot."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from functools import partial
from typing import Annotated, Protocol, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from alerts import help_inbox, help_requests
from alerts.fanout.sms_talk import Queued
from alerts.help_inbox import MAX_REPLY
from alerts.help_requests import InboxError
from bookings.saved_address import SavedAddress, people_with_address, saved_address
from console.audit_trail import record
from console.context import ConsoleContext
from console.deps import Context
from console.inbox_words import InboxWords
from console.language import words_for
from console.pages import page
from console.security import actor_of, allow, client_address
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)

SHOWN = 200
_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)

DONE = ("taken", "resolved", "replied")
"""What a redirect back to the inbox says was done (console.inbox.done.<what>)."""


async def _inbox(
    request: Request,
    ctx: ConsoleContext,
    *,
    notice: str | None = None,
    problem: str | None = None,
    reply_for: int | None = None,
    reply_text: str = "",
    reply_error: str | None = None,
    phones: dict[int, str] | None = None,
    addresses: dict[int, SavedAddress] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with ctx.sessions() as session:
        found = await help_requests.list_requests(session, limit=SHOWN)
        latest = await help_requests.latest_id(session)
        people = {r.person_id for r in found if r.person_id is not None}
        with_address = await people_with_address(session, people)
    await record(request, "inbox.viewed", shown=len(found))
    return page(
        request,
        "inbox.html",
        title="console.nav.inbox",
        requests=found,
        words=InboxWords(words_for(request)),
        latest=latest,
        shown_most=SHOWN,
        counts={
            status: sum(1 for r in found if r.status == status)
            for status in (help_requests.OPEN, help_requests.TAKEN, help_requests.RESOLVED)
        },
        notice=notice,
        problem=problem,
        reply_for=reply_for,
        reply_text=reply_text,
        reply_error=reply_error,
        max_reply=MAX_REPLY,
        phones=phones or {},
        addresses=addresses or {},
        with_address=with_address,
        now=ctx.clock.now(),
        status_code=status_code,
    )


def _done(action: str, request_id: int) -> RedirectResponse:
    if action == "taken":  # to the conversation with the person
        return RedirectResponse(f"/inbox/{request_id}?done={action}", 303)
    return RedirectResponse(f"/inbox?done={action}&id={request_id}#request-{request_id}", 303)


@router.get("/inbox")
@allow(Role.DISPATCHER)
async def inbox_page(
    request: Request,
    ctx: Context,
    done: str | None = None,
    request_id: Annotated[int | None, Query(alias="id")] = None,
) -> HTMLResponse:
    known = done in DONE and request_id is not None
    notice = words_for(request)(f"console.inbox.done.{done}", id=request_id) if known else None
    return await _inbox(request, ctx, notice=notice)


@router.get("/inbox/latest")
@allow(Role.DISPATCHER)
async def inbox_latest(ctx: Context) -> JSONResponse:
    """For the page's check for new requests: the newest id and how many are open."""
    async with ctx.sessions() as session:
        latest = await help_requests.latest_id(session)
        waiting = await help_requests.count_open(session)
    return JSONResponse({"latest": latest, "open": waiting})


class _Step(Protocol[_T_co]):
    """One step of alerts.help_inbox on a request, done by somebody at a time from an address."""

    def __call__(
        self,
        session: AsyncSession,
        request_id: int,
        /,
        *,
        actor: str,
        now: datetime,
        origin: str | None,
    ) -> Awaitable[_T_co]: ...


async def run_step(request: Request, ctx: ConsoleContext, request_id: int, step: _Step[_T]) -> _T:
    """Do the step in one transaction as the signed-in dispatcher; InboxError when refused."""
    async with ctx.sessions.begin() as session:
        return await step(
            session,
            request_id,
            actor=actor_of(request),
            now=ctx.clock.now(),
            origin=client_address(request),
        )


async def send_step(
    request: Request, ctx: ConsoleContext, request_id: int, step: _Step[Queued | None]
) -> None:
    """Do the step, then hand the SMS it queued (a conversation by SMS) to a worker."""
    queued = await run_step(request, ctx, request_id, step)
    await ctx.alerts.hand_out(queued or ())


async def _move(
    request: Request, ctx: ConsoleContext, request_id: int, step: _Step[Queued | None], done: str
) -> Response:
    """Take or resolve: back to the request in the inbox, or the inbox saying why not."""
    try:
        await send_step(request, ctx, request_id, step)
    except InboxError as error:
        return await _inbox(
            request, ctx, problem=words_for(request).plain(error.reason), status_code=409
        )
    return _done(done, request_id)


@router.post("/inbox/{request_id}/take")
@allow(Role.DISPATCHER)
async def take(request: Request, ctx: Context, request_id: int) -> Response:
    return await _move(request, ctx, request_id, help_inbox.take, "taken")


@router.post("/inbox/{request_id}/resolve")
@allow(Role.DISPATCHER)
async def resolve(request: Request, ctx: Context, request_id: int) -> Response:
    return await _move(request, ctx, request_id, help_inbox.resolve, "resolved")


@router.post("/inbox/{request_id}/reply")
@allow(Role.DISPATCHER)
async def reply(
    request: Request,
    ctx: Context,
    request_id: int,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        await send_step(request, ctx, request_id, partial(help_inbox.write_back, text=text))
    except InboxError as error:
        return await _inbox(
            request,
            ctx,
            problem=words_for(request)(
                "console.inbox.not_sent", why=words_for(request).plain(error.reason)
            ),
            reply_for=request_id,
            reply_text=text,
            reply_error=words_for(request).plain(error.reason),
            status_code=400,
        )
    return _done("replied", request_id)


@router.post("/inbox/{request_id}/phone")
@allow(Role.DISPATCHER)
async def show_phone(request: Request, ctx: Context, request_id: int) -> Response:
    try:
        phone = await run_step(request, ctx, request_id, help_inbox.reveal_phone)
    except InboxError as error:
        return await _inbox(
            request, ctx, problem=words_for(request).plain(error.reason), status_code=404
        )
    return await _inbox(
        request,
        ctx,
        notice=words_for(request)("console.inbox.phone_shown", id=request_id),
        phones={request_id: phone},
    )


@router.post("/inbox/{request_id}/address")
@allow(Role.DISPATCHER)
async def show_saved_address(request: Request, ctx: Context, request_id: int) -> Response:
    """The address the person gave for bookings, beside the request's place: audited as a
    view (the log names the request, never the address); it may be out of date."""
    words = words_for(request)
    try:
        saved = await read_saved_address(request, ctx, request_id)
    except InboxError as error:
        return await _inbox(
            request, ctx, problem=words_for(request).plain(error.reason), status_code=404
        )
    if saved is None:
        problem = words("console.inbox.no_saved_address", id=request_id)
        return await _inbox(request, ctx, problem=problem, status_code=409)
    return await _inbox(
        request,
        ctx,
        notice=words("console.inbox.address_shown", id=request_id),
        addresses={request_id: saved},
    )


async def read_saved_address(
    request: Request, ctx: ConsoleContext, request_id: int
) -> SavedAddress | None:
    """The booking address of the person behind a request, its showing audited; None when
    they gave none (nothing is audited then); InboxError when there is no such request."""
    async with ctx.sessions() as session:
        found = await help_requests.find_request(session, request_id)
        person_id = found.person_id
        saved = await saved_address(session, person_id) if person_id is not None else None
    if saved is not None:
        await record(request, "inbox.address_shown", subject=f"handover:{request_id}")
    return saved


async def has_saved_address(ctx: ConsoleContext, person_ids: set[int]) -> set[int]:
    """Which of these people gave an address for bookings (nothing is read or shown)."""
    async with ctx.sessions() as session:
        return await people_with_address(session, person_ids)
