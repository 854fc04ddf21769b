"""aiogram routers, one per kind of update; each only translates and calls the dialogue."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import buttons, location, media, text


def routers() -> list[Router]:
    """All routers in the order they must be included: the catch-all media router last."""
    return [buttons.router(), location.router(), text.router(), media.router()]
