"""Inline buttons: acknowledged without a pop-up (screen readers miss those), then answered."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import TurnKind
from bot.telegram.respond import respond, turn_from
from bot.telegram.sender import ReplySender


def router() -> Router:
    """A new Router each time: a Router can belong to one Dispatcher only."""
    routes = Router(name=__name__)

    @routes.callback_query(F.data)
    async def on_button(
        query: CallbackQuery, bot: Bot, dialogue: Dialogue, sender: ReplySender
    ) -> None:
        await query.answer()
        chat_id = query.message.chat.id if query.message else query.from_user.id
        turn = turn_from(query.from_user, kind=TurnKind.BUTTON, payload=query.data)
        await respond(turn, chat_id, bot, dialogue, sender)

    return routes
