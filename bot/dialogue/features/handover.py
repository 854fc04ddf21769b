"""Talking to a person: the request is stored for staff and acknowledged to the person."""

from __future__ import annotations

from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Reply


async def request_human(ctx: Context) -> Reply:
    ctx.go(None)
    await ctx.services.learning.handed_over(ctx.session, ctx.person)
    await ctx.services.people.request_handover(ctx.session, ctx.person, name=ctx.turn.name)
    return ctx.reply(ctx.t("human.requested"), ctx.t("human.meanwhile"), buttons=menu_buttons(ctx))


FEATURE = Feature(name="handover", commands={"human": request_human, "operator": request_human})
