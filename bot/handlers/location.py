"""A shared location."""

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

    @routes.message(F.location, F.from_user)
    async def on_location(
        message: Message, bot: Bot, dialogue: Dialogue, sender: ReplySender
    ) -> None:
        assert message.from_user is not None
        assert message.location is not None
        place = (message.location.latitude, message.location.longitude)
        turn = turn_from(message.from_user, kind=TurnKind.LOCATION, location=place)
        await respond(turn, message.chat.id, bot, dialogue, sender)

    return routes
