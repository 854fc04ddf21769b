"""Sends a Reply through Telegram: long text split, buttons attached, 429 waited out, 403 noted."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

import structlog
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.turns import Reply
from bot.telegram.split import split_text

log = structlog.get_logger(__name__)
Sleep = Callable[[float], Awaitable[None]]


class Delivery(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    """The person blocked the bot (403): nothing can reach them through Telegram."""
    GAVE_UP = "gave_up"
    """Telegram kept answering 429 longer than we are willing to wait."""


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per row: big targets, and a screen reader reads them in order."""
    if not reply.buttons:
        return None
    rows = [[InlineKeyboardButton(text=b.label, callback_data=b.payload)] for b in reply.buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


@dataclass(frozen=True, slots=True)
class ReplySender:
    """Delivers replies to one chat; waits as long as Telegram's `retry_after` asks, a few times."""

    sleep: Sleep = asyncio.sleep
    max_retries: int = 3
    max_wait_seconds: float = 60.0

    async def send(self, bot: Bot, chat_id: int, reply: Reply) -> Delivery:
        messages = [piece for part in reply.parts for piece in split_text(part)]
        keyboard = inline_keyboard(reply)
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
            except TelegramRetryAfter as error:
                if attempt == self.max_retries or error.retry_after > self.max_wait_seconds:
                    log.warning("telegram.gave_up", retry_after=error.retry_after)
                    return Delivery.GAVE_UP
                log.info("telegram.retry_after", retry_after=error.retry_after, attempt=attempt)
                await self.sleep(error.retry_after)
            except TelegramForbiddenError:
                log.info("telegram.blocked_by_user")
                return Delivery.BLOCKED
            else:
                return Delivery.SENT
        return Delivery.GAVE_UP
