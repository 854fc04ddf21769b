"""A help request's own page: the person's words, the conversation with them, live.

Once a dispatcher takes the request, what the person sends (typed, voice transcript, a place,
an SMS reply) joins the thread and comes to this page by Server-Sent Events; what the
dispatcher writes goes to the person through the bot. Either side can end the conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.status import HTTP_404_NOT_FOUND

from alerts import help_inbox, help_requests
from alerts.help_inbox import MAX_REPLY
from alerts.help_requests import HelpRequest, InboxError
from bookings.saved_address import SavedAddress
from console import sse
from console.audit_trail import record
from console.context import ConsoleContext
from console.deps import Context
from console.inbox_words import InboxWords
from console.language import words_for
from console.pages import page
from console.routes.inbox import has_saved_address, read_saved_address, run_step, send_step
from console.security import SESSION_COOKIE, actor_of, allow
from core import help_thread
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)

POLL_SECONDS = 0.5
"""How often the live view looks for new messages of the thread (one indexed query)."""
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0
"""A stream ends after this long and the browser reconnects (through the guard again)."""
RETRY_MILLISECONDS = 2000
DONE = {
    "taken": "console.talk.done.taken",
    "written": "console.talk.done.written",
    "ended": "console.talk.done.ended",
}


async def _one(ctx: ConsoleContext, request_id: int) -> HelpRequest:
    async with ctx.sessions() as session:
        try:
            return await help_requests.one(session, request_id)
        except InboxError as error:
            raise HTTPException(HTTP_404_NOT_FOUND, error.reason) from None


async def _page(
    request: Request,
    ctx: ConsoleContext,
    request_id: int,
    *,
    notice: str | None = None,
    problem: str | None = None,
    reply_text: str = "",
    reply_error: str | None = None,
    phones: dict[int, str] | None = None,
    addresses: dict[int, SavedAddress] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    found = await _one(ctx, request_id)
    people = {found.person_id} if found.person_id is not None else set()
    await record(request, "inbox.request_viewed", subject=f"handover:{request_id}")
    return page(
        request,
        "help_request.html",
        title="",
        title_words=words_for(request)("console.talk.title", id=request_id),
        r=found,
        words=InboxWords(words_for(request)),
        mine=found.taken_by == actor_of(request),
        notice=notice,
        problem=problem,
        reply_for=request_id if reply_error else None,
        reply_text=reply_text,
        reply_error=reply_error,
        max_reply=MAX_REPLY,
        phones=phones or {},
        addresses=addresses or {},
        with_address=await has_saved_address(ctx, people),
        now=ctx.clock.now(),
        last_id=found.thread[-1].id if found.thread else 0,
        status_code=status_code,
    )


@router.get("/inbox/{request_id:int}")
@allow(Role.DISPATCHER)
async def request_page(
    request: Request, ctx: Context, request_id: int, done: str | None = None
) -> HTMLResponse:
    notice = words_for(request)(DONE[done], id=request_id) if done in DONE and done else None
    return await _page(request, ctx, request_id, notice=notice)


@router.post("/inbox/{request_id:int}/write")
@allow(Role.DISPATCHER)
async def write(
    request: Request,
    ctx: Context,
    request_id: int,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        await send_step(request, ctx, request_id, partial(help_inbox.write_back, text=text))
    except InboxError as error:
        return await _page(
            request,
            ctx,
            request_id,
            problem=words_for(request)(
                "console.inbox.not_sent", why=words_for(request).plain(error.reason)
            ),
            reply_text=text,
            reply_error=words_for(request).plain(error.reason),
            status_code=400,
        )
    return RedirectResponse(f"/inbox/{request_id}?done=written#write", 303)


@router.post("/inbox/{request_id:int}/end")
@allow(Role.DISPATCHER)
async def end(request: Request, ctx: Context, request_id: int) -> Response:
    try:
        await send_step(request, ctx, request_id, help_inbox.end_talk)
    except InboxError as error:
        return await _page(
            request,
            ctx,
            request_id,
            problem=words_for(request).plain(error.reason),
            status_code=409,
        )
    return RedirectResponse(f"/inbox/{request_id}?done=ended", 303)


@router.post("/inbox/{request_id:int}/saved-address")
@allow(Role.DISPATCHER)
async def saved_address_here(request: Request, ctx: Context, request_id: int) -> Response:
    """The address the person gave for bookings, on this page; audited as a view."""
    words = words_for(request)
    try:
        saved = await read_saved_address(request, ctx, request_id)
    except InboxError as error:
        return await _page(
            request,
            ctx,
            request_id,
            problem=words_for(request).plain(error.reason),
            status_code=404,
        )
    if saved is None:
        problem = words("console.inbox.no_saved_address", id=request_id)
        return await _page(request, ctx, request_id, problem=problem, status_code=409)
    return await _page(
        request,
        ctx,
        request_id,
        notice=words("console.talk.address_shown"),
        addresses={request_id: saved},
    )


@router.post("/inbox/{request_id:int}/call")
@allow(Role.DISPATCHER)
async def call(request: Request, ctx: Context, request_id: int) -> Response:
    """The full phone on this page, to call the person; audited as a view."""
    try:
        phone = await run_step(request, ctx, request_id, help_inbox.reveal_phone)
    except InboxError as error:
        return await _page(
            request,
            ctx,
            request_id,
            problem=words_for(request).plain(error.reason),
            status_code=404,
        )
    return await _page(
        request,
        ctx,
        request_id,
        notice=words_for(request)("console.talk.phone_shown"),
        phones={request_id: phone},
    )


@router.get("/inbox/{request_id:int}/events")
@allow(Role.DISPATCHER)
async def events(
    request: Request, ctx: Context, request_id: int, after: int = 0
) -> StreamingResponse:
    """New messages of the thread as they come: event "message" with its JSON, "state" when
    the conversation starts or ends."""
    await _one(ctx, request_id)
    last = request.headers.get("Last-Event-ID", "")
    start = int(last) if last.isdigit() else max(0, min(after, 2**31 - 1))
    await record(request, "inbox.thread_followed", subject=f"handover:{request_id}")
    return StreamingResponse(
        _thread_events(request, ctx, request_id, start),
        media_type=sse.MEDIA_TYPE,
        headers=sse.HEADERS,
    )


async def _still_allowed(request: Request, ctx: ConsoleContext) -> bool:
    cookie = request.cookies.get(SESSION_COOKIE)
    staff = await ctx.accounts.staff_sessions.session_staff(cookie) if cookie else None
    return staff is not None and staff.has(Role.DISPATCHER)


async def _thread_events(
    request: Request, ctx: ConsoleContext, request_id: int, after_id: int
) -> AsyncIterator[str]:
    said = InboxWords(words_for(request))
    loop = asyncio.get_running_loop()
    ends = loop.time() + STREAM_SECONDS
    quiet_since = loop.time()
    state: tuple[str, bool] | None = None
    yield sse.retry(RETRY_MILLISECONDS)
    while loop.time() < ends:
        async with ctx.sessions() as session:
            new = await help_thread.since(session, request_id, after_id)
            found = await help_requests.one(session, request_id)
        now_state = (found.status, found.talking)
        if state is not None and now_state != state:
            yield sse.event(
                "state",
                {"status": said.status_words(found), "talking": found.talking},
            )
        state = now_state
        for message in new:
            after_id = message.id
            line = help_thread.line(message)
            data = line.to_json() | {"said": said.channel_words(line)}
            yield sse.event("message", data, event_id=message.id)
            quiet_since = loop.time()
        if loop.time() - quiet_since >= HEARTBEAT_SECONDS:
            if not await _still_allowed(request, ctx):
                return  # signed out or lost the role: no more words
            yield sse.comment("heartbeat")
            quiet_since = loop.time()
        await asyncio.sleep(POLL_SECONDS)
