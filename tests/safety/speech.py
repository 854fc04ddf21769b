"""Voice notes for the contract: real OGG/Opus files, heard by a recogniser that reads a book.

No Kazakh or Russian acoustic model can run here, so the one thing replaced is the model: each
voice note is a distinct tone, and the recogniser returns the transcript registered for the
exact samples it is given. Everything around it is the product's: the note is uploaded to the
sandbox, downloaded by the bot with getFile, decoded by `voice.audio.decode`, checked for
silence and passed through `RecognizerPool` in a worker thread, as a spoken message would be.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from core.profile import Language
from voice.audio import SAMPLE_RATE, decode, encode_voice_note
from voice.recognition import RecognitionConfig, Recognizer, RecognizerPool, Transcript
from voice.recognition.base import to_pcm16

_PUNCTUATION = re.compile(r"[^\w\s'’-]+")


def as_recognised(text: str) -> str:
    """The words as a recogniser writes them: lower case, no punctuation."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def _digest(samples: NDArray[np.int16]) -> str:
    return hashlib.sha256(samples.astype("<i2").tobytes()).hexdigest()


def _syllables(number: int) -> NDArray[np.int16]:
    """Three tone bursts over a quiet room, at a pitch of their own: speech to the silence check."""
    room = np.random.default_rng(number)
    pitch = 180.0 + 3.0 * number

    def quiet(seconds: float) -> NDArray[np.float64]:
        return room.normal(0.0, 20.0, int(SAMPLE_RATE * seconds))

    def burst(seconds: float) -> NDArray[np.float64]:
        time = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
        return np.sin(2 * np.pi * pitch * time) * 9000.0

    parts = [quiet(0.25), burst(0.2), quiet(0.1), burst(0.25), quiet(0.1), burst(0.2), quiet(0.25)]
    return np.concatenate(parts).astype(np.int16)


class TranscriptBook:
    """What was said in each recording made by `record`, keyed by its decoded samples."""

    def __init__(self) -> None:
        self._said: dict[str, str] = {}
        self._made = 0

    def record(self, words: str) -> bytes:
        """A new voice note (a sound no other note has) in which `words` were said."""
        self._made += 1
        ogg = encode_voice_note(_syllables(self._made), SAMPLE_RATE)
        key = _digest(decode(ogg).samples)
        assert key not in self._said, "two recordings decode to the same sound"
        self._said[key] = words
        return ogg

    def heard(self, samples: NDArray[np.int16]) -> str:
        """The words of a recording made here; nothing for any other sound."""
        return self._said.get(_digest(samples), "")


class BookRecognizer:
    """A `Recognizer` whose acoustic model is the book."""

    name = "transcript-book"

    def __init__(self, book: TranscriptBook, language: Language) -> None:
        self._book = book
        self._language = language

    @property
    def language(self) -> Language:
        return self._language

    def recognize(
        self,
        samples: NDArray[np.generic],
        sample_rate: int = SAMPLE_RATE,
        *,
        phrases: Sequence[str] | None = None,
    ) -> Transcript:
        pcm = to_pcm16(samples, sample_rate)
        text = self._book.heard(pcm)
        return Transcript(text, self._language, self.name, len(pcm) / SAMPLE_RATE, 0.0)


class BookPool(RecognizerPool):
    """The product's pool (worker threads, one recogniser per language) over the book."""

    def __init__(self, book: TranscriptBook) -> None:
        super().__init__(RecognitionConfig(models_dir=Path("no-models")), workers=1)
        self._book = book

    def recognizer(self, language: Language) -> Recognizer:
        return BookRecognizer(self._book, language)
