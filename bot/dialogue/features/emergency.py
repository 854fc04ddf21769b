"""Danger first: what to do now, how to reach 112, and the call for help saved for dispatchers."""

from __future__ import annotations

from alerts import subscriptions
from alerts.models import Answer
from bot.dialogue.context import Context
from bot.dialogue.features.answers import ANSWER_OPTIONS
from bot.dialogue.turns import Reply
from core import help_thread
from core.models import HandoverRequest

GUIDANCE = {
    "fire": "emergency_fire",
    "smoke": "emergency_fire",
    "earthquake": "emergency_earthquake",
    "flood": "emergency_flood",
    "mudflow": "emergency_flood",
}
GENERAL = "emergency_general"
REACH_112 = "emergency_reach_112"
OPTIONS: list[tuple[str, str]] = [*ANSWER_OPTIONS, ("menu.item.human", "cmd:human")]


async def respond(ctx: Context, danger: str, *, answering: int | None = None) -> Reply:
    """Guidance for this danger, then how deaf people reach 112; the request goes to the inbox.

    `answering`: the warning the person has yet to answer; any call for help then answers it,
    a single "help" included.
    """
    knowledge = ctx.services.knowledge
    guidance = knowledge.by_id(GUIDANCE.get(danger, GENERAL))
    reach = knowledge.by_id(REACH_112)
    parts = [guidance.short(ctx.language), reach.short(ctx.language)]
    talking = await help_thread.talking_with(ctx.session, ctx.person.id)
    if talking is not None:  # a dispatcher already writes with them: the engine notes the words
        name = (talking.taken_by or "").removeprefix("staff:") or "112"
        parts.append(ctx.t("help.passed", name=name))
    elif answering is not None or not _only_a_cry_for_help(ctx.turn.text, danger):
        request = await ctx.services.people.record_emergency(
            ctx.session,
            ctx.person,
            danger,
            words=ctx.turn.text,
            channel="voice" if ctx.heard else "text",
            name=ctx.turn.name,
        )
        await link_to_alert(ctx, request, alert_id=answering, via="message")
        parts.append(ctx.t("emergency.share_location"))
    ctx.go(None)
    ctx.conversation.topic = guidance.id
    return ctx.reply(*parts, buttons=ctx.numbered(OPTIONS))


async def link_to_alert(
    ctx: Context, request: HandoverRequest, *, alert_id: int | None = None, via: str
) -> bool:
    """A call for help from somebody on the warning list answers their latest warning.

    The dispatcher then sees "needs help" beside that warning, its follow-ups stop, and the
    request already in the inbox is the one linked to it (no second request is opened).
    """
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    if registrant is None:
        return False
    answered = await ctx.services.acks.answer(
        ctx.session, registrant, Answer.HELP, via=via, alert_id=alert_id, help_request=request
    )
    return answered is not None


async def located(ctx: Context) -> Reply | None:
    """A place shared after a call for help goes with it to the dispatchers."""
    place = ctx.turn.location
    if place is None:
        return None
    people = ctx.services.people
    if not await people.locate_emergency(ctx.session, ctx.person, *place):
        return None
    return ctx.reply(ctx.t("emergency.location_added"), buttons=ctx.numbered(OPTIONS))


def _only_a_cry_for_help(text: str, danger: str) -> bool:
    """A single word such as "help" or "көмек" gets the guidance but does not alarm dispatchers."""
    return danger == "urgent" and len(text.split()) <= 1
