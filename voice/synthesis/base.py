"""What every speech synthesiser returns and promises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from core.profile import Language

MIN_RATE = 50
"""Slowest speech rate, in percent of normal speed."""

MAX_RATE = 200
"""Fastest speech rate, in percent of normal speed."""

NORMAL_RATE = 100
"""Normal speech rate, in percent."""


class SynthesisError(RuntimeError):
    """Speech could not be synthesised."""


class UnsupportedLanguageError(ValueError):
    """The synthesiser has no voice for the language asked for."""

    def __init__(self, engine: str, language: Language) -> None:
        super().__init__(f"the {engine} speech engine has no voice for language {language.value!r}")
        self.engine = engine
        self.language = language


@dataclass(frozen=True, eq=False)
class Speech:
    """Synthesised mono speech as 16-bit samples."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    engine: str = field(default="")
    """Name of the engine that actually spoke (after any fallback)."""

    def __post_init__(self) -> None:
        """Check the samples are int16 mono and freeze them."""
        if self.samples.dtype != np.int16 or self.samples.ndim != 1:
            raise ValueError("speech samples must be a one-dimensional int16 array")
        if self.sample_rate <= 0:
            raise ValueError("sample rate must be positive")
        self.samples.flags.writeable = False

    @property
    def seconds(self) -> float:
        """Duration in seconds."""
        return len(self.samples) / self.sample_rate

    def rms(self) -> float:
        """Root mean square level of the samples, 0 for silence, up to 32767."""
        if len(self.samples) == 0:
            return 0.0
        return float(np.sqrt(np.mean(self.samples.astype(np.float64) ** 2)))


@runtime_checkable
class Synthesizer(Protocol):
    """Turns a short text into speech; safe to call from several worker threads at once."""

    @property
    def name(self) -> str:
        """Engine name, part of the synthesis cache key."""
        ...

    @property
    def languages(self) -> frozenset[Language]:
        """Languages this engine has a voice for."""
        ...

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        """Speak text in language at rate percent of normal speed (50–200)."""
        ...


def check_request(
    engine: str, languages: frozenset[Language], text: str, language: Language, rate: int
) -> None:
    """Raise ValueError for empty text, an unsupported language or a rate outside 50–200."""
    if not text.strip():
        raise ValueError("nothing to say: the text is empty")
    if language not in languages:
        raise UnsupportedLanguageError(engine, language)
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(f"speech rate must be {MIN_RATE}–{MAX_RATE} percent, not {rate}")
