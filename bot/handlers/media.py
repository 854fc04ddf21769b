"""Voice messages, and anything else that is neither text nor a location: included last."""

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

    @routes.message(F.from_user)
    async def on_media(message: Message, bot: Bot, dialogue: Dialogue, sender: ReplySender) -> None:
        assert message.from_user is not None
        kind = TurnKind.VOICE if message.voice or message.video_note else TurnKind.MEDIA
        await respond(
            turn_from(message.from_user, kind=kind), message.chat.id, bot, dialogue, sender
        )

    return routes
