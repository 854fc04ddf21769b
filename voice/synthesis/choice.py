"""Pick the synthesiser for a language from the configured engine.

`auto` (the default) gives each language its clearest voice here: Festival's Russian voice,
the packaged English Piper voice, a Piper voice for Kazakh or Russian when `komek models
download` installed one, and eSpeak NG (which speaks all three) for the rest, and whenever
one of the others fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final

from core.profile import Language
from voice.synthesis.base import NORMAL_RATE, Speech, SynthesisError, Synthesizer
from voice.synthesis.espeak import EspeakSynthesizer
from voice.synthesis.festival import FestivalSynthesizer, festival_available
from voice.synthesis.gtts_engine import GttsSynthesizer
from voice.synthesis.piper import PiperSynthesizer, packaged_english_voice, piper_version

ENGINES: Final = ("auto", "espeak", "gtts", "piper", "festival")


class WithFallback:
    """A voice that hands the text to eSpeak NG when it fails; the speech says who spoke."""

    def __init__(self, primary: Synthesizer, fallback: Synthesizer) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self.languages = primary.languages

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        try:
            return self.primary.synthesize(text, language, rate=rate)
        except SynthesisError:
            return self.fallback.synthesize(text, language, rate=rate)


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


@cache
def _festival() -> Synthesizer:
    """The one running Festival (Russian), with eSpeak NG behind it."""
    return WithFallback(FestivalSynthesizer(), _espeak())


def _auto(language: Language, piper_voices: Mapping[Language, Path]) -> Synthesizer:
    """The clearest voice installed for the language, else eSpeak NG."""
    model = piper_voices.get(language)
    if model is None and language is Language.EN:
        model = packaged_english_voice()
    if model is not None and model.is_file():
        try:
            return WithFallback(_piper(model.resolve()), _espeak())
        except SynthesisError:
            pass  # e.g. pipersynth missing: the next voice will do
    if language is Language.RU and festival_available():
        return _festival()
    return _espeak()


def choose_synthesizer(
    language: Language,
    *,
    engine: str = "espeak",
    piper_model: Path | None = None,
    piper_voices: Mapping[Language, Path] | None = None,
) -> Synthesizer:
    """The engine's synthesiser when it speaks language, else eSpeak NG, which speaks all three."""
    if engine == "auto":
        return _auto(language, piper_voices or {})
    if engine == "espeak":
        return _espeak()
    if engine == "gtts":
        return _gtts() if language in GttsSynthesizer.languages else _espeak()
    if engine == "festival":
        return _festival() if language is Language.RU and festival_available() else _espeak()
    if engine == "piper":
        if piper_model is None:
            raise ValueError("the piper speech engine needs a voice model path")
        voice = _piper(piper_model.resolve())
        return voice if language in voice.languages else _espeak()
    raise ValueError(f"unknown speech engine {engine!r}: choose one of {', '.join(ENGINES)}")


def installed_piper_voices(folder: Path) -> dict[Language, Path]:
    """The Piper voice in each folder/<lang>/ that `komek models download` filled."""
    voices: dict[Language, Path] = {}
    for language in Language:
        models = sorted((folder / language.value).glob("*.onnx"))
        if models and Path(f"{models[0]}.json").is_file():
            voices[language] = models[0]
    return voices


def active_voices(piper_voices: Mapping[Language, Path] | None = None) -> dict[Language, str]:
    """Which engine `auto` would speak each language with, without loading anything."""
    voices: dict[Language, str] = {}
    for language in Language:
        model = (piper_voices or {}).get(language)
        if model is None and language is Language.EN:
            model = packaged_english_voice()
        if model is not None and model.is_file() and piper_version() is not None:
            voices[language] = "piper"
        elif language is Language.RU and festival_available():
            voices[language] = "festival"
        else:
            voices[language] = "espeak"
    return voices
