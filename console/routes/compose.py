"""Composing alerts from templates, previewing them per channel, and approving them.

An Actual alert needs a second person with the approver role (the two-person rule); the
review, approval and rejection routes are in `compose_review`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.status import HTTP_404_NOT_FOUND, HTTP_503_SERVICE_UNAVAILABLE

from alerts import authority, review
from alerts.cap.model import Reference
from alerts.compose import (
    CERTAINTIES,
    SEVERITIES,
    URGENCIES,
    Composed,
    Draft,
    compose,
    from_template,
)
from alerts.follow_up import follow_up, references_of, refusal
from alerts.registry.regions import by_code, regions
from alerts.service import AlertRefused
from alerts.templates import by_key, templates
from console.compose_form import (
    STATE_WORDS,
    STATUS_WORDS,
    TYPE_WORDS,
    draft_from_form,
    original_id,
)
from console.compose_preview import PreviewView, draft_preview
from console.context import ConsoleContext
from console.deps import AlertNumber, Context
from console.inbox_words import DISABILITIES
from console.language import words_for
from console.pages import page, page_piece
from console.routes import compose_review
from console.security import actor_of, allow, client_address, current_staff
from core.localtime import LOCAL_ZONE
from core.profile import LANGUAGES, Language
from core.staff.roles import Role
from voice.errors import VoiceError

router = APIRouter(include_in_schema=False)
router.include_router(compose_review.router)

_ANCHORS = {
    "template": "template-choice",
    "status": "status-Actual",
    "regions": "regions-first",
    "area": "regions-first",
    "audience": "kinds-first",
}
_FIELDS = {
    f"{part}_{language.value}"
    for part in ("headline", "instruction", "description", "place")
    for language in LANGUAGES
} | {"severity", "urgency", "certainty", "expires_hours", "polygons", "circles"}
"""Problems that name a form control by its id: the summary links to it."""
WORDS: dict[str, Any] = {
    "states": STATE_WORDS,
    "statuses": STATUS_WORDS,
    "types": TYPE_WORDS,
    "kinds": DISABILITIES,
    "language_codes": ("kk", "ru", "en"),
}
"""What the alert pages have words for (console.alerts.state.<state>, ...)."""


@router.get("/alerts")
@allow(Role.DISPATCHER, Role.APPROVER)
async def alerts_page(request: Request, ctx: Context) -> HTMLResponse:
    async with ctx.sessions() as session:
        alerts = await review.recent(session)
    return page(
        request,
        "alerts_list.html",
        title="console.nav.alerts",
        alerts=alerts,
        can_compose=current_staff(request).has(Role.DISPATCHER),
        **WORDS,
    )


@router.get("/alerts/new")
@allow(Role.DISPATCHER)
async def new_alert(
    request: Request,
    ctx: Context,
    template: str = "",
    update: AlertNumber = None,
    cancel: AlertNumber = None,
) -> HTMLResponse:
    earlier = update if update is not None else cancel
    if earlier is not None:
        async with ctx.sessions() as session:
            original = await review.stored(session, earlier)
        if original is None:
            raise HTTPException(HTTP_404_NOT_FOUND, f"there is no alert {earlier}")
        reason = refusal(original.cap, original.state)
        owner = authority.owner_of(original.created_by)
        words = words_for(request)
        if owner != authority.ORGANISATION:
            return page(
                request,
                "error.html",
                title=words("console.compose.cannot_change"),
                message=words(
                    "console.compose.not_ours", id=earlier, sender=owner.removeprefix("sender:")
                ),
                status_code=403,
            )
        if reason is not None:
            return page(
                request,
                "error.html",
                title=words("console.compose.cannot_change"),
                message=words.said(reason),
                status_code=409,
            )
        msg_type = "Update" if update is not None else "Cancel"
        draft = follow_up(original.cap, original.audience, msg_type, now=ctx.clock.now())
        return await _form(request, ctx, draft, original=original)
    chosen = by_key(template) or templates()[0]
    return await _form(request, ctx, from_template(chosen))


@router.post("/alerts/preview")
@allow(Role.DISPATCHER)
async def preview_draft(request: Request, ctx: Context, fragment: bool = False) -> Response:
    draft, original = await _read_form(request, ctx)
    composed = compose(draft, now=ctx.clock.now())
    shown = await draft_preview(ctx, composed)
    if fragment:
        return page_piece(
            request, "compose_preview.html", {"preview": shown, "composed": composed, **WORDS}
        )
    return await _form(request, ctx, draft, original=original, composed=composed, shown=shown)


@router.post("/alerts/preview/voice/{language}")
@allow(Role.DISPATCHER)
async def preview_voice(request: Request, ctx: Context, language: str) -> Response:
    """The voice note of the draft in one language, as blind recipients will hear it."""
    wanted = _language(language)
    if ctx.voice is None:
        raise HTTPException(HTTP_503_SERVICE_UNAVAILABLE, "speech synthesis is not set up")
    draft, _ = await _read_form(request, ctx)
    composed = compose(draft, now=ctx.clock.now())
    spoken = next(
        o.spoken
        for o in review.outgoing(composed.alert, ctx.catalogs, tz=LOCAL_ZONE)
        if o.language is wanted
    )
    try:
        note = await ctx.voice.say(spoken, wanted)
    except VoiceError:
        raise HTTPException(
            HTTP_503_SERVICE_UNAVAILABLE, "the voice note could not be made"
        ) from None
    return Response(note.ogg, media_type="audio/ogg")


@router.post("/alerts/new")
@allow(Role.DISPATCHER)
async def create_alert(request: Request, ctx: Context) -> Response:
    draft, original = await _read_form(request, ctx)
    composed = compose(draft, now=ctx.clock.now())
    if composed.ok:
        try:
            stored = await ctx.alerts.store(
                composed.alert,
                composed.document,
                actor=actor_of(request),
                origin=client_address(request),
                audience=composed.audience,
            )
        except AlertRefused as refused:
            composed = Composed(
                composed.alert, composed.audience, {"cap": refused.reason}, composed.advice
            )
        else:
            return RedirectResponse(f"/alerts/{stored.id}/review", status_code=303)
    return await _form(request, ctx, draft, original=original, composed=composed, status_code=422)


def _language(code: str) -> Language:
    try:
        return Language(code)
    except ValueError:
        raise HTTPException(HTTP_404_NOT_FOUND, "no such language") from None


def _code_label(code: str, language: Language) -> str:
    """A KATO code below region level (kept from an earlier alert), with its region's name."""
    region = by_code(code)
    kato = f"KATO {code.ljust(9, '0')}"
    return f"{region.name(language)}, {kato}" if region is not None else kato


async def _read_form(
    request: Request, ctx: ConsoleContext
) -> tuple[Draft, review.StoredAlert | None]:
    form = await request.form()
    earlier = original_id(form)
    original = None
    references: tuple[Reference, ...] = ()
    if earlier is not None:
        async with ctx.sessions() as session:
            original = await review.stored(session, earlier)
        if original is not None and refusal(original.cap, original.state) is None:
            references = references_of(original.cap)
    return draft_from_form(form, references), original


async def _form(
    request: Request,
    ctx: ConsoleContext,
    draft: Draft,
    *,
    original: review.StoredAlert | None = None,
    composed: Composed | None = None,
    shown: PreviewView | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    if shown is None and composed is not None:
        shown = await draft_preview(ctx, composed)
    known = {region.code for region in regions()}
    words = words_for(request)
    extra_codes = [
        (code, _code_label(code, words.language)) for code in draft.regions if code not in known
    ]
    if draft.msg_type == "Alert" or original is None:
        title = words("console.alerts.new")
    elif draft.msg_type == "Cancel":
        title = words("console.compose.cancel_title", id=original.id)
    else:
        title = words("console.compose.update_title", id=original.id)
    problems = dict(composed.problems) if composed else {}
    links = [
        (_ANCHORS.get(name, name if name in _FIELDS else None), text)
        for name, text in problems.items()
    ]
    return page(
        request,
        "compose.html",
        title=title,
        draft=draft,
        original=original,
        composed=composed,
        problems=problems,
        problem_links=links,
        advice=dict(composed.advice) if composed else {},
        preview=shown,
        templates=templates(),
        chosen=by_key(draft.template),
        regions=sorted(regions(), key=lambda region: region.name(words.language)),
        page_language=words.language,
        extra_codes=extra_codes,
        languages=LANGUAGES,
        russian=Language.RU,
        severities=SEVERITIES,
        urgencies=URGENCIES,
        certainties=CERTAINTIES,
        status_code=status_code,
        **WORDS,
    )
