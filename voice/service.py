"""Voice in and voice out for the dialogue: audio → text, and text → a Telegram voice note."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import structlog

from core.metrics import RECOGNITION_SECONDS, SYNTHESIS_SECONDS
from core.profile import Language
from voice.audio import AudioError, decode, encode_voice_note, is_silence
from voice.errors import NoSpeechModel, VoiceError
from voice.recognition import ModelMissing, RecognizerPool
from voice.synthesis import CacheKey, SynthesisCache, choose_synthesizer, normalise_for_speech

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Heard:
    """What was said, and what it cost."""

    text: str
    audio_seconds: float
    decode_ms: float
    recognise_ms: float


@dataclass(frozen=True, slots=True)
class VoiceNote:
    """An OGG/Opus voice note and the key under which the same note is cached."""

    ogg: bytes
    key: str
    seconds: float


class Voice:
    """Hears voice messages and speaks answers; CPU work runs in worker threads."""

    def __init__(
        self,
        recognizers: RecognizerPool,
        cache: SynthesisCache,
        *,
        engine: str = "espeak",
        piper_model: Path | None = None,
    ) -> None:
        self._recognizers = recognizers
        self._cache = cache
        self._engine = engine
        self._piper_model = piper_model

    async def hear(
        self, data: bytes, language: Language, *, phrases: Sequence[str] | None = None
    ) -> Heard:
        """The words in a voice message; VoiceError with the message to give when there are none."""
        started = time.perf_counter()
        try:
            pcm = await asyncio.to_thread(decode, data)
        except AudioError as error:
            raise VoiceError(f"voice.error.{error.reason.value.lower()}") from None
        decoded = time.perf_counter()
        if is_silence(pcm):
            raise VoiceError("voice.heard_nothing")
        try:
            transcript = await self._recognizers.transcribe(pcm.samples, language, phrases)
        except ModelMissing:
            raise NoSpeechModel(language) from None
        recognised = time.perf_counter()
        engine = self._recognizers.engine_for(language)
        RECOGNITION_SECONDS.labels(engine=engine).observe(recognised - decoded)
        text = transcript.text.strip()
        if not text:
            raise VoiceError("voice.heard_nothing")
        return Heard(
            text,
            pcm.seconds,
            (decoded - started) * 1000,
            (recognised - decoded) * 1000,
        )

    async def say(self, text: str, language: Language, *, rate: int = 100) -> VoiceNote:
        """A voice note of the text, from the cache when the same words were spoken before."""
        spoken = normalise_for_speech(text, language)
        if not spoken.strip():  # e.g. only a link: nothing to say, the text stands alone
            raise VoiceError("voice.failed")
        synthesizer = choose_synthesizer(
            language, engine=self._engine, piper_model=self._piper_model
        )
        key = CacheKey(spoken, language, synthesizer.name, rate)
        cached = self._cache.get(key)
        if cached is not None:
            return VoiceNote(cached, key.digest(), 0.0)
        started = time.perf_counter()
        speech = await asyncio.to_thread(synthesizer.synthesize, spoken, language, rate=rate)
        ogg = await asyncio.to_thread(encode_voice_note, speech.samples, speech.sample_rate)
        SYNTHESIS_SECONDS.labels(engine=speech.engine).observe(time.perf_counter() - started)
        if speech.engine == synthesizer.name:  # a fallback voice is not cached as the engine's
            self._cache.put(key, ogg)
        return VoiceNote(ogg, key.digest(), speech.seconds)
