"""Builds the voice service from the one Settings object."""

from __future__ import annotations

from core.profile import Language
from core.settings import Settings
from voice.recognition import RecognitionConfig, RecognizerPool
from voice.service import Voice
from voice.synthesis import SynthesisCache


def build_voice(settings: Settings) -> Voice:
    """Recognisers per language (loaded on first use) and speech with a cache on disk."""
    engines = {Language(code): engine for code, engine in settings.speech_engine_for().items()}
    recognizers = RecognizerPool(
        RecognitionConfig(models_dir=settings.resolved_vosk_models_dir, engines=engines)
    )
    cache = SynthesisCache(directory=settings.data_dir / "voice-cache")
    return Voice(recognizers, cache, engine=settings.tts_engine, piper_model=settings.piper_model)
