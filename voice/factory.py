"""Builds the voice service from the one Settings object."""

from __future__ import annotations

from core.profile import Language
from core.settings import Settings
from voice.recognition import RecognitionConfig, RecognizerPool
from voice.service import Voice
from voice.synthesis import SynthesisCache, installed_piper_voices


def recognition_config(settings: Settings) -> RecognitionConfig:
    """The recognisers' settings: engines per language, model folders, the time limit."""
    engines = {Language(code): engine for code, engine in settings.speech_engine_for().items()}
    return RecognitionConfig(
        models_dir=settings.resolved_vosk_models_dir,
        engines=engines,
        whisper_dir=settings.data_dir / "whisper" / "base",
        time_limit=settings.speech_time_limit_seconds,
    )


def build_voice(settings: Settings) -> Voice:
    """Recognisers per language (loaded on first use) and speech with a cache on disk."""
    recognizers = RecognizerPool(recognition_config(settings))
    cache = SynthesisCache(directory=settings.data_dir / "voice-cache")
    return Voice(
        recognizers,
        cache,
        engine=settings.tts_engine,
        piper_model=settings.piper_model,
        piper_voices=installed_piper_voices(settings.data_dir / "piper"),
    )
