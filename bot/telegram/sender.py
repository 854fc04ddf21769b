"""Sends a Reply through Telegram: long text split, buttons attached, 429 waited out, 403 noted.

Telegram's errors are translated in bot/telegram/errors.py; other troubles leave as they are.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import structlog
from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.dialogue.turns import Reply
from bot.telegram.errors import TelegramTrouble, Trouble, translate
from bot.telegram.split import split_text
from voice.service import VoiceNote

CAPTION_LIMIT = 1024

log = structlog.get_logger(__name__)
Sleep = Callable[[float], Awaitable[None]]


class Delivery(StrEnum):
    """How sending one reply ended."""

    SENT = "sent"
    BLOCKED = "blocked"
    """The person blocked the bot (403): nothing can reach them through Telegram."""
    GAVE_UP = "gave_up"
    """Telegram kept answering 429 longer than we are willing to wait."""


class VoiceRefusalMemory(Protocol):
    """Which chats refuse voice notes (Telegram's VOICE_MESSAGES_FORBIDDEN)."""

    async def refused(self, chat_id: int) -> bool: ...

    async def note(self, chat_id: int) -> None: ...


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per row: big targets, and a screen reader reads them in order."""
    if not reply.buttons:
        return None
    rows = [[InlineKeyboardButton(text=b.label, callback_data=b.payload)] for b in reply.buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


@dataclass(frozen=True, slots=True)
class ReplySender:
    """Delivers replies to one chat; waits as long as Telegram's `retry_after` asks, a few times.

    A voice note goes first, with its text as the caption (deafblind people read it); Telegram's
    file_id of each note is kept, so the same answer is never uploaded twice. When Telegram
    refuses the voice note (the person's privacy settings), the same words go as text, and
    `refusals` remembers it so the next reply to them is text from the start.
    """

    sleep: Sleep = asyncio.sleep
    max_retries: int = 3
    max_wait_seconds: float = 60.0
    file_ids: dict[str, str] = field(default_factory=dict)
    max_file_ids: int = 10_000
    refusals: VoiceRefusalMemory | None = None

    async def send(self, bot: Bot, chat_id: int, reply: Reply) -> Delivery:
        parts = list(reply.parts)
        keyboard = inline_keyboard(reply)
        voice = reply.voice
        if voice is not None and self.refusals is not None and await self.refusals.refused(chat_id):
            voice = None  # they refuse voice notes: the words go as text
        if voice is not None:  # the whole reply is spoken: one note, its text beside it
            return await self._send_voice(bot, chat_id, voice, "\n\n".join(parts), keyboard)
        return await self._send_texts(bot, chat_id, parts, keyboard)

    async def _send_voice(
        self,
        bot: Bot,
        chat_id: int,
        note: VoiceNote,
        caption: str,
        markup: InlineKeyboardMarkup | None,
    ) -> Delivery:
        fits = len(caption) <= CAPTION_LIMIT
        known = self.file_ids.get(note.key)
        voice: str | BufferedInputFile = known or BufferedInputFile(note.ogg, "answer.ogg")
        sent: list[Message] = []

        async def call() -> None:
            message = await bot.send_voice(
                chat_id,
                voice,
                caption=caption if fits else None,
                reply_markup=markup if fits else None,
            )
            sent.append(message)

        try:
            delivery = await self._with_retries(call)
        except TelegramTrouble as trouble:
            if trouble.kind is Trouble.VOICE_REFUSED:
                log.info("telegram.voice_refused")
                if self.refusals is not None:
                    await self.refusals.note(chat_id)
                return await self._send_texts(bot, chat_id, [caption], markup)
            if known is None or trouble.kind is not Trouble.REFUSED:
                raise
            del self.file_ids[note.key]  # Telegram forgot the file: upload it again
            return await self._send_voice(bot, chat_id, note, caption, markup)
        if sent and sent[0].voice is not None and len(self.file_ids) < self.max_file_ids:
            self.file_ids[note.key] = sent[0].voice.file_id
        if delivery is Delivery.SENT and not fits:
            return await self._send_texts(bot, chat_id, [caption], markup)
        return delivery

    async def _send_texts(
        self, bot: Bot, chat_id: int, parts: list[str], keyboard: InlineKeyboardMarkup | None
    ) -> Delivery:
        messages = [piece for part in parts for piece in split_text(part)]
        for index, text in enumerate(messages):
            last = index == len(messages) - 1
            markup = keyboard if last else None
            delivery = await self._with_retries(
                lambda text=text, markup=markup: bot.send_message(  # type: ignore[misc]
                    chat_id, text, reply_markup=markup
                )
            )
            if delivery is not Delivery.SENT:
                return delivery
        return Delivery.SENT

    async def _with_retries(self, call: Callable[[], Awaitable[object]]) -> Delivery:
        for attempt in range(self.max_retries + 1):
            try:
                await call()
            except TelegramAPIError as error:
                trouble = translate(error)
                if trouble.kind is Trouble.BLOCKED:
                    log.info("telegram.blocked_by_user")
                    return Delivery.BLOCKED
                if trouble.kind is not Trouble.THROTTLED:
                    raise trouble from error
                wait = trouble.retry_after
                if attempt == self.max_retries or wait > self.max_wait_seconds:
                    log.warning("telegram.gave_up", retry_after=wait)
                    return Delivery.GAVE_UP
                log.info("telegram.retry_after", retry_after=wait, attempt=attempt)
                await self.sleep(wait)
            else:
                return Delivery.SENT
        return Delivery.GAVE_UP
