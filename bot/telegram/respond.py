"""The one path from a Telegram update to a reply: build a Turn, ask the dialogue, send."""

from __future__ import annotations

import structlog
from aiogram import Bot
from aiogram.types import User

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import Turn, TurnKind
from bot.telegram.sender import Delivery, ReplySender

log = structlog.get_logger(__name__)


def turn_from(
    user: User,
    *,
    kind: TurnKind,
    text: str = "",
    payload: str | None = None,
    audio: bytes | None = None,
    audio_size: int | None = None,
    location: tuple[float, float] | None = None,
) -> Turn:
    return Turn(
        user_id=user.id,
        kind=kind,
        text=text,
        payload=payload,
        client_language=user.language_code,
        audio=audio,
        audio_size=audio_size,
        location=location,
        name=user.full_name,
    )


async def respond(
    turn: Turn, chat_id: int, bot: Bot, dialogue: Dialogue, sender: ReplySender
) -> None:
    """Answer a turn in its chat. A failure becomes an apology, never silence or a crash."""
    try:
        reply = await dialogue.handle(turn)
    except Exception:
        log.exception("dialogue.failed", kind=turn.kind.value)
        reply = dialogue.apology(turn)
    if reply.is_empty:
        return
    delivery = await sender.send(bot, chat_id, reply)
    if delivery is Delivery.BLOCKED:
        await dialogue.note_blocked(turn.user_id)
