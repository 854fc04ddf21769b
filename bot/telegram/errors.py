"""Telegram's errors translated once, into our own terms, for every sender of the bot.

Replies, the outbox and the alerts' Telegram channel all see the same `Trouble` kinds and
each decides what to do with them: wait a 429 out, note a blocked bot, fall back to text
when voice notes are refused, hand the person to SMS, or retry later.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import ParamSpec, TypeVar

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)

from alerts.fanout.voice_refusal import is_voice_refusal

P = ParamSpec("P")
R = TypeVar("R")

NOT_SENT = "not sent:"
"""Starts a network error's message when the request was never written (no connection)."""

_GONE_WORDS = ("chat not found", "deactivated")
"""What a 400 answer says when the chat no longer exists (Telegram answers 400, not 404)."""


class Trouble(StrEnum):
    """What a Telegram error means for us, whichever call raised it."""

    THROTTLED = "throttled"
    """429: Telegram asks us to wait `retry_after` seconds."""
    BLOCKED = "blocked"
    """403: the person blocked the bot (or left Telegram): they cannot be reached there."""
    CHAT_GONE = "chat_gone"
    """The chat does not exist (any more)."""
    VOICE_REFUSED = "voice_refused"
    """400 VOICE_MESSAGES_FORBIDDEN: their privacy settings refuse voice notes."""
    UNAVAILABLE = "unavailable"
    """5xx or the network: the same request may well succeed later."""
    REFUSED = "refused"
    """Any other 400: this request will not succeed as it is."""
    FAULT = "fault"
    """Our side is wrong (401 token, 409 conflict, a migrated group): nothing about the person."""


class TelegramTrouble(Exception):
    """A Telegram error in our terms; `detail` is Telegram's reason, never message text."""

    def __init__(
        self, kind: Trouble, detail: str, *, retry_after: float = 0.0, maybe_sent: bool = False
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent
        """UNAVAILABLE after the request went out: Telegram may have acted on it (a timeout,
        a connection lost before the answer, a 5xx)."""


def translate(error: TelegramAPIError) -> TelegramTrouble:
    """The one place an aiogram/Telegram API error becomes a `TelegramTrouble`."""
    if isinstance(error, TelegramRetryAfter):
        retry_after = float(error.retry_after)
        return TelegramTrouble(
            Trouble.THROTTLED, f"retry after {retry_after:g}", retry_after=retry_after
        )
    if isinstance(error, TelegramForbiddenError):
        return TelegramTrouble(Trouble.BLOCKED, "blocked the bot")
    if isinstance(error, TelegramNotFound):
        return TelegramTrouble(Trouble.CHAT_GONE, "chat not found")
    if isinstance(error, TelegramBadRequest):
        said = error.message
        if is_voice_refusal(said):
            return TelegramTrouble(Trouble.VOICE_REFUSED, f"bad request: {said[:120]}")
        if any(word in said.lower() for word in _GONE_WORDS):
            return TelegramTrouble(Trouble.CHAT_GONE, "chat not found")
        return TelegramTrouble(Trouble.REFUSED, f"bad request: {said[:120]}")
    if isinstance(error, TelegramServerError | TelegramNetworkError):
        written = not error.message.startswith(NOT_SENT)
        return TelegramTrouble(Trouble.UNAVAILABLE, type(error).__name__, maybe_sent=written)
    return TelegramTrouble(Trouble.FAULT, f"{type(error).__name__}: {error.message[:120]}")


def telegram_call(call: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Decorates a coroutine that calls Telegram: its API errors leave as `TelegramTrouble`."""

    @functools.wraps(call)
    async def translated(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await call(*args, **kwargs)
        except TelegramAPIError as error:
            raise translate(error) from error

    return translated
