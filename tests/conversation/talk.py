"""A simulated person talking to the bot through the sandbox: onboarding and one exchange."""

from __future__ import annotations

from typing import Any

from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, message_text

NUMBER = {"kk": "1", "ru": "2", "en": "3"}
MODE = {"text": "1", "voice": "2", "both": "3"}


async def onboarded(
    telegram: SandboxClient, language: str, *, kinds: str | None = None, mode: str = "text"
) -> SimUser:
    """A person who chose a profile language and answer mode; `kinds` as typed ("3, 4")."""
    user = await telegram.add_user("Dana", language_code=language)
    await say(user, "/start")
    await say(user, NUMBER[language])
    await say(user, MODE[mode], 2)
    done = {"kk": "дайын", "ru": "готово", "en": "done"}[language]
    await say(user, kinds or done, 2)
    await say(user, done, 2)  # the region step skipped: a booking or the warnings ask it
    return user


async def say(user: SimUser, text: str, n: int = 1) -> list[dict[str, Any]]:
    await user.send_text(text)
    return await user.wait_for_bot_messages(n, timeout=60)  # a bound for a busy machine


async def press(user: SimUser, label: str, n: int = 1) -> list[dict[str, Any]]:
    await user.press(label)
    return await user.wait_for_bot_messages(n, timeout=60)


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message_text(m) for m in messages)
