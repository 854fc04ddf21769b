"""The bot on the sandbox Bot API, as in tests/bot, for the conversation-level tests."""

from tests.bot.conftest import sandbox, sleeps, telegram

__all__ = ["sandbox", "sleeps", "telegram"]
