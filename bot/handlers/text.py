"""Typed text: words, numbers, /commands, questions."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import TurnKind
from bot.telegram.respond import respond, turn_from
from bot.telegram.sender import ReplySender


def router() -> Router:
    """A new Router each time: a Router can belong to one Dispatcher only."""
    routes = Router(name=__name__)

    @routes.message(F.text, F.from_user)
    async def on_text(message: Message, bot: Bot, dialogue: Dialogue, sender: ReplySender) -> None:
        assert message.from_user is not None
        turn = turn_from(message.from_user, kind=TurnKind.TEXT, text=message.text or "")
        await respond(turn, message.chat.id, bot, dialogue, sender)

    return routes
