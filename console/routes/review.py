"""Admins teach the assistant: the messages it was unsure of or people corrected, masked, each
labelled with the intent it was (or "not a real request"). See `nlu.review`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.audit_trail import record
from console.context import ConsoleContext
from console.deps import Context
from console.language import words_for
from console.pages import page
from console.security import actor_of, allow, client_address
from core.staff.roles import Role
from nlu import review
from nlu.training_data import DATA_DIR, load_directory

router = APIRouter(include_in_schema=False)

PATH = "/admin/review"
SHOWN = 50
REASONS = ("unsure", "corrected", "repeated", "handover")
"""Why a message is kept for review (console.review.reason.<why>)."""
_INTENTS = "nlu_review.intents"


def intents(ctx: ConsoleContext) -> list[str]:
    """The trained intents, read from the training data once per process."""
    known = ctx.extras.get(_INTENTS)
    if not isinstance(known, list):
        known = load_directory(DATA_DIR).intents()
        ctx.extras[_INTENTS] = known
    return known


async def _page(
    request: Request,
    ctx: ConsoleContext,
    *,
    notice: str | None = None,
    problem: str | None = None,
    failed: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with ctx.sessions() as session:
        items = await review.waiting(session, limit=SHOWN)
        waiting = await review.waiting_count(session)
    await record(request, "nlu_review.viewed", shown=len(items))
    return page(
        request,
        "admin_review.html",
        title="console.nav.review",
        items=items,
        waiting=waiting,
        choices=review.choices(intents(ctx)),
        not_a_request=review.NOT_A_REQUEST,
        reasons=REASONS,
        notice=notice,
        problem=problem,
        failed=failed,
        status_code=status_code,
    )


@router.get(PATH)
@allow(Role.ADMIN)
async def review_page(request: Request, ctx: Context) -> HTMLResponse:
    saved = request.query_params.get("saved", "")
    notice = words_for(request)("console.review.saved", id=saved) if saved.isdigit() else None
    return await _page(request, ctx, notice=notice)


@router.post(PATH)
@allow(Role.ADMIN)
async def label_message(request: Request, ctx: Context) -> Response:
    form = await request.form()
    raw_id, chosen = form.get("item_id"), form.get("label")
    item_id = int(raw_id) if isinstance(raw_id, str) and raw_id.isdigit() else None
    label = chosen.strip() if isinstance(chosen, str) else ""
    words = words_for(request)
    if item_id is None:
        return await _page(
            request, ctx, problem=words("console.review.no_message"), status_code=400
        )
    if not label:
        problem = words("console.review.choose_first", id=item_id)
        return await _page(request, ctx, problem=problem, failed=item_id, status_code=400)
    try:
        async with ctx.sessions() as session, session.begin():
            await review.label(
                session,
                item_id,
                label,
                intents=intents(ctx),
                actor=actor_of(request),
                now=ctx.clock.now(),
                origin=client_address(request),
            )
    except review.UnknownLabel:
        problem = words("console.review.unknown", id=item_id, label=label)
        return await _page(request, ctx, problem=problem, failed=item_id, status_code=400)
    except review.NoSuchItem:
        problem = words("console.review.gone", id=item_id)
        return await _page(request, ctx, problem=problem, status_code=404)
    return RedirectResponse(f"{PATH}?saved={item_id}", status_code=303)
