"""Errors that the sandbox answers in Telegram's Bot API shape."""

from __future__ import annotations

from typing import Any


class BotApiError(Exception):
    """A Bot API error: HTTP status, Telegram description and optional retry_after."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """Return the body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> BotApiError:
    """Return a 400 error with Telegram's "Bad Request: " prefix."""
    return BotApiError(400, f"Bad Request: {reason}")


def chat_not_found() -> BotApiError:
    """Return the error Telegram gives for an unknown chat."""
    return bad_request("chat not found")


def too_many_requests(retry_after: int) -> BotApiError:
    """Return a 429 flood-wait error."""
    return BotApiError(
        429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
    )


def bad_gateway() -> BotApiError:
    """Return the 502 Telegram answers when its servers are overloaded."""
    return BotApiError(502, "Bad Gateway")


def blocked_by_user() -> BotApiError:
    """Return the 403 error for a user who blocked the bot."""
    return BotApiError(403, "Forbidden: bot was blocked by the user")
