"""What every recogniser returns and accepts: transcripts, the protocol, PCM chunks, phrases."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from core.profile import Language

SAMPLE_RATE = 16_000
"""The rate every engine here decodes at."""

CHUNK_SECONDS = 0.25
"""How much audio is fed to an engine at a time."""

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class DecodedWindow:
    """One stretch of audio the decoder turned into text: how many tokens, at what temperature."""

    tokens: int
    temperature: float


@dataclass(frozen=True)
class Transcript:
    """What was heard in one voice message, by which engine, and how long it took."""

    text: str
    language: Language
    engine: str
    audio_seconds: float
    decode_seconds: float
    cut_short: bool = False
    """The clip's time limit ran out before all of it was decoded."""
    windows: tuple[DecodedWindow, ...] = ()
    """What a windowed decoder (Whisper) produced, window by window: its work was bounded."""
    token_limit: int | None = None
    """The most tokens the decoder was allowed per window, as it reported it."""
    temperatures: tuple[float, ...] = ()
    """The sampling temperatures the decoder was allowed; one means nothing was decoded twice."""

    @property
    def real_time_factor(self) -> float:
        """Decoding time per second of audio (0.0 for empty audio)."""
        if self.audio_seconds <= 0:
            return 0.0
        return self.decode_seconds / self.audio_seconds


@runtime_checkable
class Recognizer(Protocol):
    """A speech recogniser for one language; safe to call from worker threads."""

    @property
    def name(self) -> str:
        """The engine's name, as reported in transcripts."""
        ...

    @property
    def language(self) -> Language:
        """The language this recogniser understands."""
        ...

    def recognize(
        self,
        samples: NDArray[np.generic],
        sample_rate: int = SAMPLE_RATE,
        *,
        phrases: Sequence[str] | None = None,
    ) -> Transcript:
        """Transcribe mono audio; with phrases, prefer (or keep to) those phrases."""
        ...


def to_pcm16(samples: NDArray[np.generic], sample_rate: int) -> NDArray[np.int16]:
    """Mono 16-bit samples at 16 kHz from 1-D int16 or float (-1..1) samples at any rate."""
    if samples.ndim != 1:
        raise ValueError(f"expected mono (1-D) samples, got shape {samples.shape}")
    if sample_rate <= 0:
        raise ValueError(f"expected a positive sample rate, got {sample_rate}")
    if samples.dtype == np.int16:
        pcm: NDArray[np.int16] = samples.astype(np.int16, copy=False)
    elif np.issubdtype(samples.dtype, np.floating):
        scaled = np.clip(samples.astype(np.float64) * 32767.0, -32768, 32767)
        pcm = np.round(scaled).astype(np.int16)
    else:
        raise TypeError(f"expected int16 or float samples, got {samples.dtype}")
    if sample_rate != SAMPLE_RATE and len(pcm):
        pcm = _resample(pcm, sample_rate)
    return np.ascontiguousarray(pcm)


def _resample(pcm: NDArray[np.int16], sample_rate: int) -> NDArray[np.int16]:
    """The same sound at 16 kHz, through FFmpeg's resampler."""
    import av  # only needed for audio that is not already 16 kHz
    from av.audio.resampler import AudioResampler

    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = sample_rate
    resampler = AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    parts = [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    if not parts:
        return np.zeros(0, dtype=np.int16)
    return np.concatenate(parts).astype(np.int16, copy=False)


def chunks(pcm: NDArray[np.int16], seconds: float = CHUNK_SECONDS) -> Iterator[bytes]:
    """The audio as little-endian byte blocks of `seconds` each, the last one shorter."""
    step = max(1, int(SAMPLE_RATE * seconds))
    little = pcm.astype("<i2", copy=False)
    for start in range(0, len(little), step):
        yield little[start : start + step].tobytes()


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase as lower-case words, punctuation dropped ('Yes!' -> ('yes',))."""
    return tuple(_WORD.findall(phrase.lower()))


def clean_phrases(phrases: Sequence[str] | None) -> tuple[tuple[str, ...], ...]:
    """Distinct non-empty phrases as word tuples, in the order given."""
    seen: dict[tuple[str, ...], None] = {}
    for phrase in phrases or ():
        words = phrase_words(phrase)
        if words:
            seen.setdefault(words, None)
    return tuple(seen)
