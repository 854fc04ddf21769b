"""Talking with a dispatcher: once one takes the person's help request, what they send goes to
the request's thread (and to the dispatcher's screen) instead of the bot's dialogue, until
either side ends it. The emergency layer still runs first (see the engine)."""

from __future__ import annotations

from bot.dialogue.context import Context
from bot.dialogue.turns import Reply, TurnKind
from core import audit, help_thread
from core.models import HandoverRequest
from core.people import person_ref

STOP = "cmd:stop"


async def current(ctx: Context) -> HandoverRequest | None:
    """The request a dispatcher is talking with this person about, if any."""
    return await help_thread.talking_with(ctx.session, ctx.person.id)


def note(ctx: Context, request: HandoverRequest) -> None:
    """Put this turn's words (or shared place) in the thread."""
    turn = ctx.turn
    if turn.kind is TurnKind.LOCATION and turn.location is not None:
        latitude, longitude = turn.location
        request.latitude, request.longitude = latitude, longitude
        channel, text = "location", f"{latitude:.5f}, {longitude:.5f}"
    else:
        channel = "voice" if ctx.heard else ("button" if turn.payload else "text")
        text = turn.text
    help_thread.add(
        ctx.session,
        request,
        sender=help_thread.PERSON,
        channel=channel,
        text=text,
        at=ctx.services.clock.now(),
        actor=person_ref(ctx.person),
    )


async def relay(ctx: Context, choice: str | None) -> Reply | None:
    """The turn goes to the dispatcher (None when nobody is talking with the person)."""
    request = await current(ctx)
    if request is None:
        return None
    if choice == STOP:
        return end(ctx, request)
    note(ctx, request)
    name = (request.taken_by or "").removeprefix("staff:") or "112"
    return ctx.reply(ctx.t("help.passed", name=name), remember=False)


def end(ctx: Context, request: HandoverRequest) -> Reply:
    """The person ends the conversation; the request stays with the dispatcher."""
    request.talking = False
    audit.record(
        ctx.session,
        at=ctx.services.clock.now(),
        actor=person_ref(ctx.person),
        action="help.talk_ended",
        subject=f"handover:{request.id}",
    )
    ctx.go(None)
    return ctx.reply(ctx.t("help.ended_by_you"))
