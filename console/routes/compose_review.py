"""Reviewing a composed alert, and approving or rejecting it (the two-person rule).

The review page shows exactly what will be sent: each language's Telegram text, SMS and
voice note, the people reached by channel, and the CAP document.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.status import HTTP_404_NOT_FOUND

from alerts import authority, review
from alerts.approval import approval_refusal
from alerts.models import AlertState
from alerts.service import AlertRefused
from console.compose_form import STATE_WORDS, STATUS_WORDS, TYPE_WORDS
from console.compose_preview import alert_texts, stored_preview
from console.context import ConsoleContext
from console.deps import AlertId, Context
from console.inbox_words import DISABILITIES
from console.language import words_for
from console.pages import page
from console.security import actor_of, allow, client_address, current_staff
from core.profile import Language
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)

MAX_REASON = 500


async def _stored(ctx: ConsoleContext, alert_id: int) -> review.StoredAlert:
    async with ctx.sessions() as session:
        found = await review.stored(session, alert_id)
    if found is None:
        raise HTTPException(HTTP_404_NOT_FOUND, f"there is no alert {alert_id}")
    return found


def _refusal(request: Request, ctx: ConsoleContext, alert: review.StoredAlert) -> str | None:
    staff = current_staff(request)
    return approval_refusal(
        status=alert.cap.status,
        created_by=alert.created_by,
        actor=staff.actor,
        roles=staff.roles,
        two_person_rule=ctx.settings.console_two_person_rule,
    )


async def _review_page(
    request: Request,
    ctx: ConsoleContext,
    alert: review.StoredAlert,
    *,
    problem: str | None = None,
    reject_problem: str | None = None,
    reason: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    async with ctx.sessions() as session:
        rejected = await review.rejection(session, alert.id)
        earlier = await review.referenced(session, alert)
    return page(
        request,
        "alert_review.html",
        title=words_for(request)("console.approve.title", id=alert.id),
        alert=alert,
        preview=await stored_preview(ctx, alert),
        earlier=earlier,
        awaiting=alert.state == AlertState.AWAITING_APPROVAL,
        refusal=_refusal(request, ctx, alert),
        rejected=rejected,
        two_person_rule=ctx.settings.console_two_person_rule,
        can_compose=current_staff(request).has(Role.DISPATCHER),
        problem=problem,
        reject_problem=reject_problem,
        reason=reason,
        status_code=status_code,
        states=STATE_WORDS,
        statuses=STATUS_WORDS,
        types=TYPE_WORDS,
        kinds=DISABILITIES,
        language_codes=("kk", "ru", "en"),
        owner_of=_api_sender,
    )


def _api_sender(created_by: str) -> str | None:
    """The API sender an alert belongs to; None when it is the organisation's (the console)."""
    owner = authority.owner_of(created_by)
    return owner.removeprefix("sender:") if owner.startswith("sender:") else None


@router.get("/alerts/{alert_id}/review")
@allow(Role.DISPATCHER, Role.APPROVER)
async def review_alert(request: Request, ctx: Context, alert_id: AlertId) -> HTMLResponse:
    return await _review_page(request, ctx, await _stored(ctx, alert_id))


@router.get("/alerts/{alert_id}/voice/{language}.ogg")
@allow(Role.DISPATCHER, Role.APPROVER)
async def alert_voice(ctx: Context, alert_id: AlertId, language: str) -> Response:
    """The voice note blind recipients of this language will get (made once, then kept)."""
    try:
        wanted = Language(language)
    except ValueError:
        raise HTTPException(HTTP_404_NOT_FOUND, "no such language") from None
    await _stored(ctx, alert_id)
    note = await alert_texts(ctx).voice(alert_id, wanted.value)
    if note is None:
        raise HTTPException(HTTP_404_NOT_FOUND, "this alert has no voice note in that language")
    return Response(
        note.audio,
        media_type="audio/ogg",
        headers={"Content-Disposition": f'inline; filename="alert-{alert_id}-{wanted.value}.ogg"'},
    )


@router.post("/alerts/{alert_id}/approve")
@allow(Role.DISPATCHER, Role.APPROVER)
async def approve_alert(request: Request, ctx: Context, alert_id: AlertId) -> Response:
    alert = await _stored(ctx, alert_id)
    refused = _refusal(request, ctx, alert)
    if refused is None:
        try:
            await ctx.alerts.approve(
                alert_id, actor=actor_of(request), origin=client_address(request)
            )
        except AlertRefused as error:
            refused = error.reason
        else:
            return RedirectResponse(f"/alerts/{alert_id}", status_code=303)
    return await _review_page(
        request,
        ctx,
        await _stored(ctx, alert_id),
        problem=words_for(request).said(refused) if refused else None,
        status_code=403,
    )


@router.post("/alerts/{alert_id}/reject")
@allow(Role.DISPATCHER, Role.APPROVER)
async def reject_alert(
    request: Request,
    ctx: Context,
    alert_id: AlertId,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    alert = await _stored(ctx, alert_id)
    reason = " ".join(reason.split())
    words = words_for(request)
    if not reason:
        return await _review_page(
            request,
            ctx,
            alert,
            problem=words("console.approve.no_reason"),
            reject_problem=words("console.approve.write_reason"),
            status_code=422,
        )
    if len(reason) > MAX_REASON:
        return await _review_page(
            request,
            ctx,
            alert,
            problem=words("console.approve.long_reason"),
            reject_problem=words("console.approve.shorter", most=MAX_REASON, length=len(reason)),
            reason=reason,
            status_code=422,
        )
    try:
        await ctx.alerts.reject(
            alert_id, actor=actor_of(request), reason=reason, origin=client_address(request)
        )
    except AlertRefused as error:
        return await _review_page(
            request, ctx, alert, problem=words_for(request).said(error.reason), status_code=409
        )
    return RedirectResponse(f"/alerts/{alert_id}/review", status_code=303)
