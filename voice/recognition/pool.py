"""One recogniser per language, loaded on first use, run in worker threads off the event loop."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from core.profile import Language
from voice.recognition.base import SAMPLE_RATE, Recognizer, Transcript
from voice.recognition.errors import ModelMissing

POCKETSPHINX = "pocketsphinx"
VOSK = "vosk"
WORKERS = 2
"""Worker threads: this deployment has two cores, and each decode keeps one busy."""

DEFAULT_ENGINES: Mapping[Language, str] = MappingProxyType(
    {Language.EN: POCKETSPHINX, Language.KK: VOSK, Language.RU: VOSK}
)

EngineFactory = Callable[[Language, Path], Recognizer]


class RecognitionSettings(Protocol):
    """What the pool needs to know: where models live and which engine serves each language."""

    @property
    def models_dir(self) -> Path:
        """The folder holding one Vosk model folder per language (models_dir/<lang>)."""
        ...

    @property
    def engines(self) -> Mapping[Language, str]:
        """Engine name per language: 'pocketsphinx' or 'vosk'."""
        ...


@dataclass(frozen=True)
class RecognitionConfig:
    """Recognition settings: the models folder and the engine per language."""

    models_dir: Path
    engines: Mapping[Language, str] = field(default_factory=lambda: dict(DEFAULT_ENGINES))


def _pocketsphinx(language: Language, models_dir: Path) -> Recognizer:
    """PocketSphinx with its packaged English model; other languages have no such model."""
    if language is not Language.EN:
        raise ModelMissing(language, models_dir, "PocketSphinx ships only an English model")
    try:
        from voice.recognition.pocketsphinx_engine import PocketsphinxRecognizer
    except ImportError as error:
        raise ModelMissing(language, models_dir, "the pocketsphinx package is missing") from error
    return PocketsphinxRecognizer(decoders=WORKERS)


def _vosk(language: Language, models_dir: Path) -> Recognizer:
    """Vosk with the model in models_dir/<lang>."""
    try:
        from voice.recognition.vosk_engine import VoskRecognizer
    except ImportError as error:
        raise ModelMissing(language, models_dir, "the vosk package is missing") from error
    return VoskRecognizer(models_dir / language.value, language)


FACTORIES: Mapping[str, EngineFactory] = MappingProxyType(
    {POCKETSPHINX: _pocketsphinx, VOSK: _vosk}
)


class RecognizerPool:
    """Transcribes voice messages for the bot without ever blocking its event loop."""

    def __init__(self, settings: RecognitionSettings, *, workers: int = WORKERS) -> None:
        unknown = {engine for engine in settings.engines.values() if engine not in FACTORIES}
        if unknown:
            raise ValueError(f"unknown speech engines {sorted(unknown)}; use {sorted(FACTORIES)}")
        self.models_dir = settings.models_dir
        self.engines: Mapping[Language, str] = {**DEFAULT_ENGINES, **settings.engines}
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="asr")
        self._loaded: dict[Language, Recognizer] = {}
        self._locks = {language: threading.Lock() for language in Language}

    def engine_for(self, language: Language) -> str:
        """The engine name configured for a language."""
        return self.engines[language]

    def recognizer(self, language: Language) -> Recognizer:
        """The language's recogniser, loading its model the first time (blocking: threads only)."""
        loaded = self._loaded.get(language)
        if loaded is not None:
            return loaded
        with self._locks[language]:
            loaded = self._loaded.get(language)
            if loaded is None:
                factory = FACTORIES[self.engine_for(language)]
                loaded = factory(language, self.models_dir)
                self._loaded[language] = loaded
            return loaded

    def _transcribe(
        self,
        samples: NDArray[np.generic],
        sample_rate: int,
        language: Language,
        phrases: Sequence[str] | None,
    ) -> Transcript:
        """Load if needed, then recognise: runs in a worker thread."""
        return self.recognizer(language).recognize(samples, sample_rate, phrases=phrases)

    async def load(self, language: Language) -> Recognizer:
        """Load a language's model in a worker thread (ModelMissing when there is none)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(self.recognizer, language)
        )

    async def transcribe(
        self,
        samples: NDArray[np.generic],
        language: Language,
        phrases: Sequence[str] | None = None,
        *,
        sample_rate: int = SAMPLE_RATE,
    ) -> Transcript:
        """Transcribe in a worker thread; ModelMissing when the language has no model."""
        loop = asyncio.get_running_loop()
        job = functools.partial(self._transcribe, samples, sample_rate, language, phrases)
        return await loop.run_in_executor(self._executor, job)

    def close(self) -> None:
        """Stop the worker threads once running transcriptions finish."""
        self._executor.shutdown(wait=True, cancel_futures=True)
