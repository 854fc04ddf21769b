"""Pick the synthesiser for a language from the configured engine."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from core.profile import Language
from voice.synthesis.base import Synthesizer
from voice.synthesis.espeak import EspeakSynthesizer
from voice.synthesis.gtts_engine import GttsSynthesizer
from voice.synthesis.piper import PiperSynthesizer

ENGINES: Final = ("espeak", "gtts", "piper")


@cache
def _espeak() -> EspeakSynthesizer:
    """The shared eSpeak NG synthesiser."""
    return EspeakSynthesizer()


@cache
def _gtts() -> GttsSynthesizer:
    """The shared gTTS synthesiser, falling back to the shared eSpeak NG one."""
    return GttsSynthesizer(fallback=_espeak())


@cache
def _piper(model: Path) -> PiperSynthesizer:
    """One loaded Piper voice per model file."""
    return PiperSynthesizer(model)


def choose_synthesizer(
    language: Language, *, engine: str = "espeak", piper_model: Path | None = None
) -> Synthesizer:
    """The engine's synthesiser when it speaks language, else eSpeak NG, which speaks all three."""
    if engine == "espeak":
        return _espeak()
    if engine == "gtts":
        return _gtts() if language in GttsSynthesizer.languages else _espeak()
    if engine == "piper":
        if piper_model is None:
            raise ValueError("the piper speech engine needs a voice model path")
        voice = _piper(piper_model.resolve())
        return voice if language in voice.languages else _espeak()
    raise ValueError(f"unknown speech engine {engine!r}: choose one of {', '.join(ENGINES)}")
