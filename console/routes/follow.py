"""Following an alert: live progress (Server-Sent Events), recipients, CSV, Update, Cancel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from markupsafe import Markup
from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.status import HTTP_404_NOT_FOUND

from console import sse
from console.alert_progress import (
    ANSWERS,
    CHANNELS,
    STATES,
    Progress,
    progress_of,
    state_words,
    summary,
)
from console.alert_view import MSG_TYPES, STATUSES, AlertView, alert_view
from console.audit_trail import record
from console.context import ConsoleContext
from console.deps import AlertId, Context
from console.inbox_words import DISABILITIES
from console.language import Words, words_for
from console.pages import page
from console.picture_store import PictureStore
from console.progress import ProgressHub
from console.progress_reads import reading_sessions
from console.recipient_list import (
    ANSWER_FILTERS,
    RecipientFilter,
    every_recipient,
    recipient_page,
    region_name,
)
from console.recipients_csv import csv_chunks
from console.security import SESSION_COOKIE, allow, current_staff
from core.database import SessionFactory
from core.localtime import to_local
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)

FOLLOWERS = (Role.DISPATCHER, Role.APPROVER)
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0
"""A stream ends after this long and the browser reconnects (through the guard again)."""
RETRY_MILLISECONDS = 3000
_HUB = "progress"
_READS = "progress_reads"
PICTURES = "alert_pictures"
"""Where the process keeps its PictureStore in the context's extras (a test may put its own)."""
MAX_ID = 2**31 - 1


def reads(ctx: ConsoleContext) -> SessionFactory:
    """Sessions for this area's reads, beside the fan-out's connection (see progress_reads)."""
    found = ctx.extras.get(_READS)
    if not isinstance(found, async_sessionmaker):
        found = ctx.extras[_READS] = reading_sessions(ctx.sessions)
    return found


def progress_hub(ctx: ConsoleContext) -> ProgressHub[Progress]:
    """The process's one hub: every viewer of an alert shares its poller."""
    hub = ctx.extras.get(_HUB)
    if not isinstance(hub, ProgressHub):
        sessions = reads(ctx)

        async def read(alert_id: int) -> Progress:
            return progress_of(await ctx.alerts.status(alert_id, sessions=sessions))

        hub = ctx.extras[_HUB] = ProgressHub(read, ctx.clock)
    return hub


async def _alert(ctx: ConsoleContext, alert_id: int) -> AlertView:
    view = None
    if alert_id <= MAX_ID:
        async with ctx.sessions() as session:
            view = await alert_view(session, alert_id)
    if view is None:
        raise HTTPException(HTTP_404_NOT_FOUND, f"there is no alert {alert_id}")
    return view


SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
"""CAP severities with words in the catalogs (console.alert.severity.<severity>)."""
LANGUAGES = ("kk", "ru", "en")
VIAS = ("sms", "button", "message")
"""How an answer came, with words in the catalogs (console.recipients.via.<how>)."""


def _title(words: Words, view: AlertView) -> str:
    """The page's title, with the headline in the page's language when there is one
    ("Alert 12: …"); headlines in the other languages are shown below with their `lang`."""
    language = words.language.value
    headline = next((h for h in view.headlines if h.language == language), None)
    if headline:
        return words("console.alert.title_headline", id=view.id, headline=headline.text)
    return words("console.alert.title", id=view.id)


@router.get("/alerts/{alert_id:int}")
@allow(*FOLLOWERS)
async def alert_page(request: Request, alert_id: AlertId, ctx: Context) -> HTMLResponse:
    view = await _alert(ctx, alert_id)
    progress = progress_of(await ctx.alerts.status(alert_id, sessions=reads(ctx)))
    words = words_for(request)
    pictures = await _pictures(request, ctx, alert_id)
    return page(
        request,
        "alert_page.html",
        title=_title(words, view),
        alert=view,
        progress=progress,
        state_text=state_words(words, progress.state),
        summary=summary(words, progress.recipients, progress.state_totals, progress.answers),
        channels=CHANNELS,
        states=STATES,
        answers=ANSWERS,
        statuses=STATUSES,
        msg_types=MSG_TYPES,
        severities=SEVERITIES,
        languages=LANGUAGES,
        as_of=ctx.clock.now(),
        pictures=pictures or Markup(""),
    )


def picture_store(ctx: ConsoleContext) -> PictureStore:
    """The process's one store of the alert page's pictures, shared by every viewer."""
    store = ctx.extras.get(PICTURES)
    if not isinstance(store, PictureStore):
        store = ctx.extras[PICTURES] = PictureStore(reads(ctx), ctx.clock)
    return store


async def _pictures(request: Request, ctx: ConsoleContext, alert_id: int) -> Markup | None:
    """The map and chart with their tables (alert_pictures.html), in the viewer's language;
    the places people shared only for dispatchers."""
    dispatcher = current_staff(request).has(Role.DISPATCHER)
    return await picture_store(ctx).piece(alert_id, words_for(request), show_places=dispatcher)


@router.get("/alerts/{alert_id:int}/pictures")
@allow(*FOLLOWERS)
async def alert_pictures(request: Request, alert_id: AlertId, ctx: Context) -> HTMLResponse:
    """The map and chart alone: the alert page's script puts them in place as answers come."""
    drawn = await _pictures(request, ctx, alert_id)
    if drawn is None:
        raise HTTPException(HTTP_404_NOT_FOUND, f"there is no alert {alert_id}")
    return HTMLResponse(drawn)


@router.get("/alerts/{alert_id:int}/events")
@allow(*FOLLOWERS)
async def alert_events(request: Request, alert_id: AlertId, ctx: Context) -> StreamingResponse:
    await _alert(ctx, alert_id)
    return StreamingResponse(
        _progress_events(request, ctx, alert_id), media_type=sse.MEDIA_TYPE, headers=sse.HEADERS
    )


async def _still_allowed(request: Request, ctx: ConsoleContext) -> bool:
    cookie = request.cookies.get(SESSION_COOKIE)
    staff = await ctx.accounts.staff_sessions.session_staff(cookie) if cookie else None
    return staff is not None and staff.has(*FOLLOWERS)


async def _progress_events(
    request: Request, ctx: ConsoleContext, alert_id: int
) -> AsyncIterator[str]:
    """The figures now, then every change; a heartbeat comment when nothing changes."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + STREAM_SECONDS
    words = words_for(request)
    async with progress_hub(ctx).watch(alert_id) as watch:
        yield sse.retry(RETRY_MILLISECONDS)
        while not watch.closed:
            left = ends - loop.time()
            if left <= 0:
                return
            progress = await watch.next(min(HEARTBEAT_SECONDS, left))
            if progress is not None:
                data = progress.as_json(words) | _as_of(watch.read_at)
                yield sse.event("progress", data, event_id=watch.version)
            elif not watch.closed and loop.time() < ends:
                if not await _still_allowed(request, ctx):
                    return  # signed out or lost the role: no more figures
                yield sse.comment("heartbeat")


def _as_of(read_at: datetime | None) -> dict[str, str]:
    """When the figures were read: for the page (Kazakhstan time) and for programs (UTC)."""
    if read_at is None:
        return {}
    return {
        "as_of": read_at.isoformat(),
        "as_of_local": to_local(read_at).strftime("%H:%M:%S"),
    }


@router.get("/alerts/{alert_id:int}/recipients")
@allow(*FOLLOWERS)
async def recipients_page(request: Request, alert_id: AlertId, ctx: Context) -> HTMLResponse:
    view = await _alert(ctx, alert_id)
    wanted = RecipientFilter.from_query(request.query_params)
    asked = _page_number(request.query_params.get("page"))
    async with reads(ctx)() as session:
        found = await recipient_page(session, alert_id, wanted, asked)
    await record(
        request,
        "alert.recipients_viewed",
        subject=f"alert:{alert_id}",
        filter=wanted.describe(),
        page=found.page,
    )
    query = wanted.as_query()
    words = words_for(request)
    return page(
        request,
        "alert_recipients.html",
        title=words("console.recipients.title", id=alert_id),
        alert=view,
        found=found,
        wanted=wanted,
        words=words,
        channels=CHANNELS,
        channel_names=[words(key) for _, key in CHANNELS],
        channel_options=[(code, words(key)) for code, key in CHANNELS],
        state_options=[(code, words(key)) for code, key in STATES],
        answer_options=[(code, words(key)) for code, key in ANSWER_FILTERS],
        state_keys={code for code, _ in STATES},
        languages=LANGUAGES,
        disabilities=DISABILITIES,
        vias=VIAS,
        region_in=lambda code: region_name(code, words.language) if code else "",
        csv_href=f"/alerts/{alert_id}/recipients.csv" + (f"?{urlencode(query)}" if query else ""),
        page_href=lambda number: (
            f"/alerts/{alert_id}/recipients?" + urlencode({**query, "page": number})
        ),
    )


@router.get("/alerts/{alert_id:int}/recipients.csv")
@allow(*FOLLOWERS)
async def recipients_csv(request: Request, alert_id: AlertId, ctx: Context) -> StreamingResponse:
    await _alert(ctx, alert_id)
    wanted = RecipientFilter.from_query(request.query_params)
    await record(
        request, "alert.recipients_exported", subject=f"alert:{alert_id}", filter=wanted.describe()
    )
    return StreamingResponse(
        csv_chunks(every_recipient(reads(ctx), alert_id, wanted)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="alert-{alert_id}-recipients.csv"'},
    )


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1
