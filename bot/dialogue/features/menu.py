"""Help and the main menu, repeating the last reply, and saying what the bot can do."""

from __future__ import annotations

from bot.dialogue import drafts
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.turns import Button, Reply

MENU: list[tuple[str, str]] = [
    ("menu.item.book", "cmd:book"),
    ("menu.item.bookings", "cmd:bookings"),
    ("menu.item.language", "cmd:language"),
    ("menu.item.mode", "cmd:mode"),
    ("menu.item.repeat", "cmd:repeat"),
    ("menu.item.human", "cmd:human"),
    ("menu.item.mydata", "cmd:mydata"),
    ("menu.item.forget", "cmd:forget"),
    ("menu.item.listening", "cmd:listening"),
    ("menu.item.region", "cmd:region"),  # added last, so the numbers people know stay
]


def menu_buttons(ctx: Context) -> tuple[Button, ...]:
    return ctx.numbered(MENU)


async def show_help(ctx: Context) -> Reply:
    ctx.go(None)
    return ctx.reply(ctx.t("help.about"), ctx.t("menu.choose"), buttons=menu_buttons(ctx))


async def not_understood(ctx: Context) -> Reply:
    return ctx.reply(
        ctx.t("fallback.not_understood"), ctx.t("fallback.can_do"), buttons=menu_buttons(ctx)
    )


async def repeat(ctx: Context) -> Reply:
    stored = ctx.conversation.last_reply
    if stored is None:
        return ctx.reply(ctx.t("repeat.nothing"), buttons=menu_buttons(ctx))
    return Reply.from_json(stored)


async def stop(ctx: Context) -> Reply:
    ctx.go(None)
    drafts.drop(ctx)
    return ctx.reply(ctx.t("stop.done"), buttons=menu_buttons(ctx))


async def unsupported_media(ctx: Context) -> Reply:
    return ctx.reply(ctx.t("media.unsupported"))


async def location_received(ctx: Context) -> Reply:
    return ctx.reply(ctx.t("location.received"), ctx.t("location.danger"))


FEATURE = Feature(
    name="menu",
    commands={"help": show_help, "menu": show_help, "repeat": repeat, "stop": stop, "cancel": stop},
)
