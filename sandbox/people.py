"""Who is in the sandbox: simulated users, the bot's identity and per-chat faults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class SimUser:
    """A simulated Telegram user; their private chat with the bot has the same id."""

    id: int
    first_name: str
    language_code: str = "en"
    last_name: str | None = None
    username: str | None = None

    def as_user(self) -> dict[str, Any]:
        """Return the Bot API User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        user["language_code"] = self.language_code
        return user

    def as_chat(self) -> dict[str, Any]:
        """Return the Bot API Chat object of the user's private chat."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    def as_json(self) -> dict[str, Any]:
        """Return the user as the control API shows it."""
        return {
            "user_id": self.id,
            "chat_id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """The bot as getMe describes it; its id follows the token in use."""

    id: int = 7000000001
    first_name: str = "Kömek"
    username: str = "komek_sandbox_bot"

    def as_user(self, bot_id: int | None = None) -> dict[str, Any]:
        """Return the bot as the Bot API User in a message's `from`."""
        return {
            "id": bot_id or self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def as_me(self, bot_id: int | None = None) -> dict[str, Any]:
        """Return the getMe result."""
        return {
            **self.as_user(bot_id),
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }


@dataclass(slots=True)
class Faults:
    """Faults a test has set for one chat."""

    retry_after: int = 0
    retry_count: int = 0
    blocked: bool = False
    server_errors: int = 0
    """Answer the next this many sending calls with 502 Bad Gateway."""
    voice_forbidden: bool = False
    """The user's privacy settings refuse voice messages: sendVoice gets 400
    VOICE_MESSAGES_FORBIDDEN, as Telegram answers (text still goes through)."""
    lost_answers: int = 0
    """Deliver the next this many sending calls but lose the answer: the connection closes
    before the bot hears it, as when a network drops the answer on its way back."""

    def as_json(self) -> dict[str, Any]:
        """Return the faults as the control API shows them."""
        return {
            "retry_after": self.retry_after,
            "count": self.retry_count,
            "blocked": self.blocked,
            "server_errors": self.server_errors,
            "voice_forbidden": self.voice_forbidden,
            "lost_answers": self.lost_answers,
        }
