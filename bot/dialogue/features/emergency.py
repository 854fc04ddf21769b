"""Danger first: what to do now, how to reach 112, and the call for help saved for dispatchers."""

from __future__ import annotations

from bot.dialogue.context import Context
from bot.dialogue.features.answers import ANSWER_OPTIONS
from bot.dialogue.turns import Reply

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


async def respond(ctx: Context, danger: str) -> Reply:
    """Guidance for this danger, then how deaf people reach 112; the request goes to the inbox."""
    knowledge = ctx.services.knowledge
    guidance = knowledge.by_id(GUIDANCE.get(danger, GENERAL))
    reach = knowledge.by_id(REACH_112)
    parts = [guidance.short(ctx.language), reach.short(ctx.language)]
    if not _only_a_cry_for_help(ctx.turn.text, danger):
        await ctx.services.people.record_emergency(ctx.session, ctx.person, danger)
        parts.append(ctx.t("emergency.share_location"))
    ctx.go(None)
    ctx.conversation.topic = guidance.id
    return ctx.reply(*parts, buttons=ctx.numbered(OPTIONS))


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
