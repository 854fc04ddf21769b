"""Why a piece of audio was refused: one exception, one reason each."""

from __future__ import annotations

from enum import StrEnum


class AudioProblem(StrEnum):
    """What is wrong with audio a user sent; the bot words each one in the user's language."""

    EMPTY = "empty"
    NOT_AUDIO = "not_audio"
    TOO_BIG = "too_big"
    TOO_LONG = "too_long"


class AudioError(Exception):
    """Audio that cannot be used, with the reason the bot tells the user.

    `decoded_seconds` is how much audio was decoded before it was refused (0 when the size or
    the declared duration refused it first), so callers and tests see the work it cost.
    """

    def __init__(
        self, reason: AudioProblem, detail: str = "", *, decoded_seconds: float = 0.0
    ) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.decoded_seconds = decoded_seconds

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.detail}" if self.detail else self.reason.value
