"""One recogniser per language, loaded on first use, run in worker threads off the event loop."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import structlog
from numpy.typing import NDArray

from core.profile import Language
from voice.recognition.base import SAMPLE_RATE, Recognizer, Transcript
from voice.recognition.errors import ModelMissing, RecognitionTimedOut
from voice.recognition.whisper_engine import WhisperModelLoader, WhisperOptions, WhisperRecognizer

log = structlog.get_logger(__name__)

POCKETSPHINX = "pocketsphinx"
VOSK = "vosk"
WHISPER = "whisper"
ENGINE_NAMES = (POCKETSPHINX, VOSK, WHISPER)
WORKERS = 2
"""Worker threads: this deployment has two cores, and each decode keeps one busy."""

DEFAULT_ENGINES: Mapping[Language, str] = MappingProxyType(
    {Language.EN: WHISPER, Language.KK: VOSK, Language.RU: WHISPER}
)
FALLBACKS: Mapping[Language, str] = MappingProxyType({Language.EN: POCKETSPHINX})
"""The light engine a language falls back to when its configured one cannot load."""
TIME_LIMIT = 20.0
"""Seconds one voice message may take to recognise (not counting the first model load)."""


@dataclass(frozen=True)
class RecognitionConfig:
    """Recognition settings: where models live, the engine per language, the time limit."""

    models_dir: Path
    """Vosk models, one folder per language (models_dir/<lang>)."""
    engines: Mapping[Language, str] = field(default_factory=lambda: dict(DEFAULT_ENGINES))
    whisper_dir: Path | None = None
    """Where the Whisper model is assembled; None: models_dir/../whisper/base."""
    time_limit: float = TIME_LIMIT
    beam_size: int = 5

    @property
    def resolved_whisper_dir(self) -> Path:
        return self.whisper_dir or self.models_dir.parent / "whisper" / "base"


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


class RecognizerPool:
    """Transcribes voice messages for the bot without ever blocking its event loop."""

    def __init__(
        self,
        config: RecognitionConfig,
        *,
        workers: int = WORKERS,
        whisper: WhisperModelLoader | None = None,
    ) -> None:
        unknown = {engine for engine in config.engines.values() if engine not in ENGINE_NAMES}
        if unknown:
            raise ValueError(f"unknown speech engines {sorted(unknown)}; use {list(ENGINE_NAMES)}")
        self.config = config
        self.models_dir = config.models_dir
        self.engines: Mapping[Language, str] = {**DEFAULT_ENGINES, **config.engines}
        options = WhisperOptions(beam_size=config.beam_size, time_limit=config.time_limit)
        self.whisper = whisper or WhisperModelLoader(config.resolved_whisper_dir, options)
        self._factories: Mapping[str, Callable[[Language], Recognizer]] = {
            POCKETSPHINX: functools.partial(_pocketsphinx, models_dir=self.models_dir),
            VOSK: functools.partial(_vosk, models_dir=self.models_dir),
            WHISPER: self._whisper,
        }
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="asr")
        self._loaded: dict[Language, Recognizer] = {}
        self._locks = {language: threading.Lock() for language in Language}

    def _whisper(self, language: Language) -> Recognizer:
        return WhisperRecognizer(self.whisper, language, time_limit=self.config.time_limit)

    def engine_for(self, language: Language) -> str:
        """The engine serving a language: the loaded one, else the configured one."""
        loaded = self._loaded.get(language)
        return loaded.name if loaded is not None else self.engines[language]

    def planned_engine(self, language: Language) -> str | None:
        """The engine that would serve a language, judged without loading any model."""
        loaded = self._loaded.get(language)
        if loaded is not None:
            return loaded.name
        for engine in (self.engines[language], FALLBACKS.get(language)):
            if engine is not None and self._installed(engine, language):
                return engine
        return None

    def _installed(self, engine: str, language: Language) -> bool:
        """Whether the engine's package and model for the language are here."""
        if engine == WHISPER:
            return self.whisper.installed()
        if engine == VOSK:
            from voice.recognition.vosk_engine import check_model_dir

            try:
                check_model_dir(self.models_dir / language.value, language)
            except ModelMissing:
                return False
            return True
        return language is Language.EN and importlib.util.find_spec(POCKETSPHINX) is not None

    def recognizer(self, language: Language) -> Recognizer:
        """The language's recogniser, loading its model the first time (blocking: threads only)."""
        loaded = self._loaded.get(language)
        if loaded is not None:
            return loaded
        with self._locks[language]:
            loaded = self._loaded.get(language)
            if loaded is None:
                loaded = self._build(language)
                self._loaded[language] = loaded
            return loaded

    def _build(self, language: Language) -> Recognizer:
        """The configured engine, or the language's light fallback when it cannot load."""
        engine = self.engines[language]
        try:
            return self._factories[engine](language)
        except ModelMissing as missing:
            fallback = FALLBACKS.get(language)
            if fallback is None or fallback == engine:
                raise
            log.warning(
                "speech.engine_fallback",
                language=language.value,
                engine=engine,
                fallback=fallback,
                reason=missing.reason,
            )
            return self._factories[fallback](language)

    def _transcribe(
        self,
        samples: NDArray[np.generic],
        sample_rate: int,
        language: Language,
        phrases: Sequence[str] | None,
    ) -> Transcript:
        """Recognise with the loaded model: runs in a worker thread."""
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
        """Transcribe in a worker thread within the time limit.

        ModelMissing when the language has no model; RecognitionTimedOut when the clip took
        longer than the limit (the decode is abandoned: it stops by itself at its next window).
        """
        await self.load(language)
        loop = asyncio.get_running_loop()
        job = functools.partial(self._transcribe, samples, sample_rate, language, phrases)
        running = loop.run_in_executor(self._executor, job)
        try:
            return await asyncio.wait_for(running, self.config.time_limit)
        except TimeoutError:
            raise RecognitionTimedOut(language, self.config.time_limit) from None

    def close(self) -> None:
        """Stop the worker threads once running transcriptions finish."""
        self._executor.shutdown(wait=True, cancel_futures=True)
