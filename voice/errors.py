"""Voice problems as the person hears of them: each carries the key of its message."""

from __future__ import annotations

from core.profile import Language


class VoiceError(Exception):
    """Something about a voice message the person must be told, with an i18n key."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NoSpeechModel(VoiceError):
    """No recogniser for this language here; the person is asked to type instead."""

    def __init__(self, language: Language) -> None:
        super().__init__("voice.no_model")
        self.language = language
