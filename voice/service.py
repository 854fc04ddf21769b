"""Voice in and voice out for the dialogue: audio → text, and text → a Telegram voice note."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import structlog

from core.metrics import RECOGNITION_SECONDS, SYNTHESIS_SECONDS
from core.profile import Language
from voice.audio import AudioError, decode, encode_voice_note, is_silence
from voice.errors import NoSpeechModel, VoiceError
from voice.recognition import ModelMissing, RecognitionTimedOut, RecognizerPool
from voice.synthesis import (
    CacheKey,
    SynthesisCache,
    active_voices,
    choose_synthesizer,
    normalise_for_speech,
)

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Heard:
    """What was said, and what it cost."""

    text: str
    audio_seconds: float
    decode_ms: float
    recognise_ms: float
    engine: str = ""
    cut_short: bool = False
    """Only the beginning was recognised: the rest did not fit in the time limit."""


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
        engine: str = "auto",
        piper_model: Path | None = None,
        piper_voices: Mapping[Language, Path] | None = None,
    ) -> None:
        self._recognizers = recognizers
        self._cache = cache
        self._engine = engine
        self._piper_model = piper_model
        self._piper_voices = dict(piper_voices or {})

    @property
    def recognizers(self) -> RecognizerPool:
        """The recognisers, one per language, loaded on first use."""
        return self._recognizers

    def prepare(self, languages: Sequence[Language] = (Language.RU, Language.EN)) -> None:
        """Load the recognisers and voices now (blocking), so the first person does not wait."""
        for language in languages:
            try:
                self._recognizers.recognizer(language)
            except ModelMissing:
                log.info("voice.no_recognizer", language=language.value)
        for language in Language:
            choose_synthesizer(
                language,
                engine=self._engine,
                piper_model=self._piper_model,
                piper_voices=self._piper_voices,
            )

    def engines_line(self) -> str:
        """Which engines hear and speak each language, for the start-up line (loads nothing)."""
        spoken = (
            active_voices(self._piper_voices)
            if self._engine == "auto"
            else dict.fromkeys(Language, self._engine)
        )
        parts = []
        for language in (Language.KK, Language.RU, Language.EN):
            heard = self._recognizers.planned_engine(language) or "no model (asks to type)"
            parts.append(f"{language.value} heard by {heard}, spoken by {spoken[language]}")
        return "Speech: " + "; ".join(parts) + "."

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
        except RecognitionTimedOut:
            log.warning("voice.recognition_timed_out", language=language.value, seconds=pcm.seconds)
            raise VoiceError("voice.not_caught") from None
        recognised = time.perf_counter()
        RECOGNITION_SECONDS.labels(engine=transcript.engine).observe(recognised - decoded)
        text = transcript.text.strip()
        if not text:
            raise VoiceError("voice.heard_nothing")
        return Heard(
            text,
            pcm.seconds,
            (decoded - started) * 1000,
            (recognised - decoded) * 1000,
            engine=transcript.engine,
            cut_short=transcript.cut_short,
        )

    async def say(self, text: str, language: Language, *, rate: int = 100) -> VoiceNote:
        """A voice note of the text, from the cache when the same words were spoken before."""
        spoken = normalise_for_speech(text, language)
        if not spoken.strip():  # e.g. only a link: nothing to say, the text stands alone
            raise VoiceError("voice.failed")
        # Off the event loop: the first answer in a language loads its voice (a Piper model
        # took 0.9 s here), and the cache reads and writes files.
        synthesizer = await asyncio.to_thread(
            choose_synthesizer,
            language,
            engine=self._engine,
            piper_model=self._piper_model,
            piper_voices=self._piper_voices,
        )
        key = CacheKey(spoken, language, synthesizer.name, rate)
        cached = await asyncio.to_thread(self._cache.get, key)
        if cached is not None:
            return VoiceNote(cached, key.digest(), 0.0)
        started = time.perf_counter()
        speech = await asyncio.to_thread(synthesizer.synthesize, spoken, language, rate=rate)
        ogg = await asyncio.to_thread(encode_voice_note, speech.samples, speech.sample_rate)
        SYNTHESIS_SECONDS.labels(engine=speech.engine).observe(time.perf_counter() - started)
        if speech.engine == synthesizer.name:  # a fallback voice is not cached as the engine's
            await asyncio.to_thread(self._cache.put, key, ogg)
        return VoiceNote(ogg, key.digest(), speech.seconds)
