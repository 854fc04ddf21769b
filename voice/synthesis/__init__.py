"""Speech synthesis: answers as speech in Kazakh, Russian and English."""

from voice.synthesis.base import (
    MAX_RATE,
    MIN_RATE,
    NORMAL_RATE,
    Speech,
    SynthesisError,
    Synthesizer,
    UnsupportedLanguageError,
)
from voice.synthesis.cache import CacheKey, SynthesisCache
from voice.synthesis.choice import (
    ENGINES,
    active_voices,
    choose_synthesizer,
    installed_piper_voices,
)
from voice.synthesis.espeak import EspeakSynthesizer
from voice.synthesis.gtts_engine import GttsSynthesizer
from voice.synthesis.normalise import normalise_for_speech
from voice.synthesis.piper import PiperModelNotFoundError, PiperSynthesizer, piper_version

__all__ = [
    "ENGINES",
    "MAX_RATE",
    "MIN_RATE",
    "NORMAL_RATE",
    "CacheKey",
    "EspeakSynthesizer",
    "GttsSynthesizer",
    "PiperModelNotFoundError",
    "PiperSynthesizer",
    "Speech",
    "SynthesisCache",
    "SynthesisError",
    "Synthesizer",
    "UnsupportedLanguageError",
    "active_voices",
    "choose_synthesizer",
    "installed_piper_voices",
    "normalise_for_speech",
    "piper_version",
]
