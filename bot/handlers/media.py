"""Voice messages, audio files and documents; anything else that is neither text nor a place."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Audio, Document, Message, Voice
from aiogram.utils.chat_action import ChatActionSender

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import TurnKind
from bot.telegram.respond import respond, turn_from
from bot.telegram.sender import ReplySender
from voice.audio import MAX_BYTES


def router() -> Router:
    """A new Router each time: a Router can belong to one Dispatcher only."""
    routes = Router(name=__name__)

    @routes.message(F.voice | F.audio | F.document, F.from_user)
    async def on_audio(message: Message, bot: Bot, dialogue: Dialogue, sender: ReplySender) -> None:
        assert message.from_user is not None
        attachment: Voice | Audio | Document | None = (
            message.voice or message.audio or message.document
        )
        assert attachment is not None
        size = attachment.file_size
        audio = None
        if size is None or size <= MAX_BYTES:
            try:
                downloaded = await bot.download(attachment)
            except TelegramBadRequest:  # Telegram refuses files it considers too big
                size = MAX_BYTES + 1
            else:
                audio = downloaded.read() if downloaded is not None else None
        turn = turn_from(message.from_user, kind=TurnKind.VOICE, audio=audio, audio_size=size)
        # Hearing and answering take a few seconds: Telegram shows "recording voice…" (or
        # "typing…" for text answers) meanwhile, so nobody is left wondering if it arrived.
        by_voice = await dialogue.answers_by_voice(message.from_user.id)
        action = ChatAction.RECORD_VOICE if by_voice else ChatAction.TYPING
        async with ChatActionSender(bot=bot, chat_id=message.chat.id, action=action):
            await respond(turn, message.chat.id, bot, dialogue, sender)

    @routes.message(F.from_user)
    async def on_other(message: Message, bot: Bot, dialogue: Dialogue, sender: ReplySender) -> None:
        assert message.from_user is not None
        turn = turn_from(message.from_user, kind=TurnKind.MEDIA)
        await respond(turn, message.chat.id, bot, dialogue, sender)

    return routes
