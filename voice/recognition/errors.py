"""What goes wrong in speech recognition, with messages an operator can act on."""

from __future__ import annotations

from pathlib import Path

from core.profile import Language


class ModelMissing(Exception):
    """No usable speech model for a language: absent, incomplete or unreadable."""

    def __init__(self, language: Language, path: Path, reason: str = "no model there") -> None:
        self.language = language
        self.path = path
        self.reason = reason
        super().__init__(
            f"No speech model for {language.value!r} at {path}: {reason}. "
            f"Install it with `komek models download {language.value}`."
        )


class RecognitionFailed(RuntimeError):
    """The engine refused the audio it was given."""


class RecognitionTimedOut(RuntimeError):
    """A clip took longer than its time limit; its decode was abandoned."""

    def __init__(self, language: Language, limit: float) -> None:
        self.language = language
        self.limit = limit
        super().__init__(f"recognising a {language.value!r} clip took longer than {limit:g} s")
