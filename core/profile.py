"""What a person can choose about themselves: language, answer mode, disability kinds."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """The three languages of the bot, the console and alerts: Kazakh, Russian, English."""

    KK = "kk"
    RU = "ru"
    EN = "en"


class AnswerMode(StrEnum):
    """How a person wants answers: text, or voice notes with the text beside them."""

    VOICE = "voice"
    TEXT = "text"
    BOTH = "both"


class DisabilityKind(StrEnum):
    """What a person told us of their disability, to choose channels and voice."""

    BLIND = "blind"
    LOW_VISION = "low_vision"
    DEAF = "deaf"
    HARD_OF_HEARING = "hard_of_hearing"
    DEAFBLIND = "deafblind"
    MOBILITY = "mobility"
    OTHER = "other"


LANGUAGES: tuple[Language, ...] = (Language.KK, Language.RU, Language.EN)
ANSWER_MODES: tuple[AnswerMode, ...] = (AnswerMode.TEXT, AnswerMode.VOICE, AnswerMode.BOTH)
DISABILITY_KINDS: tuple[DisabilityKind, ...] = tuple(DisabilityKind)

NORMAL_SPEECH_RATE = 100
"""Speech rate in percent of the synthesiser's normal speed."""


def parse_language(code: str | None) -> Language | None:
    """A Language from a code such as 'ru' or 'ru-RU', or None when it is not one of ours."""
    if not code:
        return None
    try:
        return Language(code.split("-")[0].lower())
    except ValueError:
        return None
