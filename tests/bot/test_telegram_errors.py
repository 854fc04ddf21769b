"""Telegram's errors as every sender sees them: one translation, a table of what Telegram says."""

from __future__ import annotations

import pytest
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage

from bot.telegram.errors import TelegramTrouble, Trouble, telegram_call, translate

METHOD = SendMessage(chat_id=1, text="Leave the building now.")
MESSAGE_TEXT = "Leave the building now."


@pytest.mark.parametrize(
    ("error", "kind", "detail"),
    [
        (
            TelegramRetryAfter(METHOD, "Too Many Requests: retry after 7", retry_after=7),
            Trouble.THROTTLED,
            "retry after 7",
        ),
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"),
            Trouble.BLOCKED,
            "blocked the bot",
        ),
        (
            TelegramForbiddenError(METHOD, "Forbidden: user is deactivated"),
            Trouble.BLOCKED,
            "blocked the bot",
        ),
        (TelegramNotFound(METHOD, "Not Found"), Trouble.CHAT_GONE, "chat not found"),
        (
            TelegramBadRequest(METHOD, "Bad Request: chat not found"),
            Trouble.CHAT_GONE,
            "chat not found",
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: VOICE_MESSAGES_FORBIDDEN"),
            Trouble.VOICE_REFUSED,
            "bad request: Bad Request: VOICE_MESSAGES_FORBIDDEN",
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: wrong file identifier"),
            Trouble.REFUSED,
            "bad request: Bad Request: wrong file identifier",
        ),
        (
            TelegramServerError(METHOD, "Internal Server Error"),
            Trouble.UNAVAILABLE,
            "TelegramServerError",
        ),
        (
            TelegramNetworkError(METHOD, "Request timeout error"),
            Trouble.UNAVAILABLE,
            "TelegramNetworkError",
        ),
        (
            TelegramEntityTooLarge(METHOD, "Request Entity Too Large"),
            Trouble.UNAVAILABLE,
            "TelegramEntityTooLarge",
        ),
        (
            TelegramUnauthorizedError(METHOD, "Unauthorized"),
            Trouble.FAULT,
            "TelegramUnauthorizedError: Unauthorized",
        ),
        (
            TelegramConflictError(METHOD, "Conflict: terminated by other getUpdates request"),
            Trouble.FAULT,
            "TelegramConflictError: Conflict: terminated by other getUpdates request",
        ),
    ],
)
def test_each_telegram_error_has_one_meaning(
    error: TelegramAPIError, kind: Trouble, detail: str
) -> None:
    trouble = translate(error)
    assert (trouble.kind, trouble.detail) == (kind, detail)
    assert trouble.retry_after == (7.0 if kind is Trouble.THROTTLED else 0.0)
    assert MESSAGE_TEXT not in str(trouble)  # the reason, never what was being sent


def test_the_long_reason_of_a_refusal_is_cut() -> None:
    trouble = translate(TelegramBadRequest(METHOD, "Bad Request: " + "x" * 500))
    assert trouble.kind is Trouble.REFUSED
    assert len(trouble.detail) == len("bad request: ") + 120


async def test_a_decorated_call_raises_the_translation_and_keeps_the_original() -> None:
    blocked = TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user")

    @telegram_call
    async def send() -> None:
        raise blocked

    with pytest.raises(TelegramTrouble) as caught:
        await send()
    assert caught.value.kind is Trouble.BLOCKED
    assert caught.value.__cause__ is blocked
