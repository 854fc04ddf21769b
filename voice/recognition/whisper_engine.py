"""Russian and English recognition with faster-whisper and the Whisper base model, offline.

Settings chosen for voice messages from people who rely on them, not for subtitles:
the language always comes from the person's profile (Whisper's detector calls Kazakh
Lithuanian); one temperature, so a hard clip is never decoded again and again (with the
library's default fallback a 2 s odd clip looped for 38 s); no conditioning on earlier windows;
the built-in Silero VAD, so silence and clicks reach the decoder as nothing; a bound on new
tokens that follows the clip's length; and a time limit per clip, checked between windows.
"""

from __future__ import annotations

import importlib.util
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from core.profile import Language
from voice.recognition.base import (
    SAMPLE_RATE,
    DecodedWindow,
    Transcript,
    clean_phrases,
    to_pcm16,
)
from voice.recognition.errors import ModelMissing, RecognitionFailed
from voice.recognition.whisper_files import MARKER, PART_PACKAGES, assemble, find_parts

WINDOW_SECONDS: Final = 30.0
"""Whisper hears at most this much at a time."""
TOKENS_PER_SECOND: Final = 16.0
"""Studio Russian reads at about 5 text tokens a second, but at 8 a second the decoder already
cut sentences short (CTranslate2 counts more than the text's tokens): room to spare, not to loop."""
MIN_NEW_TOKENS: Final = 32
MAX_NEW_TOKENS: Final = 220
"""Whisper's decoder holds 448 tokens; half is left for the prompt and the special tokens."""
MAX_HOTWORDS_CHARS: Final = 160
MAX_REPEATS: Final = 3
"""A phrase said more than this many times in a row is a decoding loop, not speech."""


def max_new_tokens(seconds: float) -> int:
    """How many tokens one window of this clip may produce."""
    heard = min(max(seconds, 0.0), WINDOW_SECONDS)
    return max(MIN_NEW_TOKENS, min(MAX_NEW_TOKENS, math.ceil(TOKENS_PER_SECOND * heard)))


def hotwords(phrases: Sequence[str] | None) -> str | None:
    """The phrases expected at this step as a short prompt, shortest first (yes, no, 1, 2…)."""
    words = sorted((" ".join(words) for words in clean_phrases(phrases)), key=len)
    chosen: list[str] = []
    length = 0
    for phrase in words:
        if length + len(phrase) + 2 > MAX_HOTWORDS_CHARS:
            break
        chosen.append(phrase)
        length += len(phrase) + 2
    return ", ".join(chosen) or None


def drop_repeats(words: list[str], limit: int = MAX_REPEATS) -> list[str]:
    """The words with any run of one phrase (1–6 words) repeated over `limit` times cut back."""
    out: list[str] = []
    for word in words:
        out.append(word)
        for size in range(1, 7):
            span = size * (limit + 1)
            if len(out) < span:
                break
            tail = out[-span:]
            if all(tail[i] == tail[i % size] for i in range(span)):
                del out[-size:]
                break
    return out


@dataclass(frozen=True)
class WhisperOptions:
    """How decoding is bounded and how much of the machine it may use."""

    beam_size: int = 5
    time_limit: float = 20.0
    """Seconds one clip may take; past it, the windows not yet decoded are dropped."""
    cpu_threads: int = 2
    workers: int = 2
    """Decodes that may run at once (CTranslate2 queues the rest)."""


class WhisperModelLoader:
    """Loads the one Whisper model on first use and shares it between the languages."""

    def __init__(
        self,
        model_dir: Path,
        options: WhisperOptions,
        *,
        packages: tuple[str, ...] = PART_PACKAGES,
    ) -> None:
        self.model_dir = model_dir
        self.options = options
        self.packages = packages
        self._model: Any = None
        self._lock = threading.Lock()

    def installed(self) -> bool:
        """Whether faster-whisper and the model (its wheels, or the joined copy) are here."""
        if importlib.util.find_spec("faster_whisper") is None:
            return False
        if (self.model_dir / MARKER).is_file():
            return True
        try:
            find_parts(self.packages)
        except ModelMissing:
            return False
        return True

    def model(self, language: Language) -> Any:
        """The loaded WhisperModel (blocking: call from a worker thread)."""
        with self._lock:
            if self._model is None:
                self._model = self._load(language)
            return self._model

    def _load(self, language: Language) -> Any:
        try:
            from faster_whisper import WhisperModel  # type: ignore[import-untyped]
        except ImportError as error:
            raise ModelMissing(
                language, self.model_dir, "faster-whisper is not installed"
            ) from error
        folder = assemble(self.model_dir, packages=self.packages)
        try:
            return WhisperModel(
                str(folder),
                device="cpu",
                compute_type="int8",
                cpu_threads=self.options.cpu_threads,
                num_workers=self.options.workers,
            )
        except Exception as error:  # CTranslate2 raises RuntimeError and others
            raise ModelMissing(language, folder, f"Whisper could not load it ({error})") from error


class WhisperRecognizer:
    """One language of the shared Whisper model."""

    name = "whisper"

    def __init__(
        self,
        loader: WhisperModelLoader,
        language: Language,
        *,
        clock: Callable[[], float] = time.monotonic,
        time_limit: float | None = None,
    ) -> None:
        self._loader = loader
        self._language = language
        self._clock = clock
        self._time_limit = loader.options.time_limit if time_limit is None else time_limit
        self._model: Any = loader.model(language)

    @property
    def language(self) -> Language:
        """The language every clip is decoded in (never detected)."""
        return self._language

    def recognize(
        self,
        samples: NDArray[np.generic],
        sample_rate: int = SAMPLE_RATE,
        *,
        phrases: Sequence[str] | None = None,
    ) -> Transcript:
        """Transcribe within the time limit; with phrases, lean towards them."""
        started = time.perf_counter()
        deadline = self._clock() + self._time_limit
        pcm = to_pcm16(samples, sample_rate)
        seconds = len(pcm) / SAMPLE_RATE
        pieces: list[str] = []
        windows: list[DecodedWindow] = []
        limit: int | None = None
        temperatures: tuple[float, ...] = ()
        cut_short = False
        if len(pcm):
            audio = pcm.astype(np.float32) / 32768.0
            try:
                segments, info = self._model.transcribe(
                    audio,
                    language=self._language.value,
                    task="transcribe",
                    beam_size=self._loader.options.beam_size,
                    temperature=[0.0],
                    condition_on_previous_text=False,
                    vad_filter=True,
                    without_timestamps=True,
                    max_new_tokens=max_new_tokens(seconds),
                    hotwords=hotwords(phrases),
                )
                decoding = info.transcription_options  # what the library will really do
                limit = decoding.max_new_tokens
                temperatures = tuple(decoding.temperatures)
                for segment in segments:
                    pieces.append(str(segment.text))
                    windows.append(DecodedWindow(len(segment.tokens), segment.temperature))
                    if self._clock() >= deadline:
                        cut_short = True
                        break
                segments.close()
            except ValueError as error:
                raise RecognitionFailed(f"Whisper could not decode the audio ({error})") from error
        words = drop_repeats(" ".join(pieces).split())
        return Transcript(
            text=_tidy(" ".join(words)),
            language=self._language,
            engine=self.name,
            audio_seconds=seconds,
            decode_seconds=time.perf_counter() - started,
            cut_short=cut_short,
            windows=tuple(windows),
            token_limit=limit,
            temperatures=temperatures,
        )


_SPACE_BEFORE_PUNCTUATION: Final = re.compile(r"\s+([,.!?;:])")


def _tidy(text: str) -> str:
    """One line of text with single spaces, no comma left hanging at either end."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split())).strip(" ,;:")
