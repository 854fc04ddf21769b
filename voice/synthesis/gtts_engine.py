"""Google Translate's voices through gTTS: online, Russian and English, opt-in, with a fallback."""

from __future__ import annotations

import io
from typing import Final

import requests
import structlog
from gtts import gTTS, gTTSError  # type: ignore[import-untyped]

from core.profile import Language
from voice.synthesis.base import NORMAL_RATE, Speech, SynthesisError, Synthesizer, check_request
from voice.synthesis.espeak import EspeakSynthesizer
from voice.synthesis.mp3 import change_tempo, decode_mp3

DEFAULT_TIMEOUT: Final = 5.0
"""Seconds to wait for Google before the offline voice answers instead."""

_SERVICE_ERRORS: Final = (gTTSError, requests.RequestException, OSError, SynthesisError, ValueError)
"""Everything that goes wrong on the network, at Google or in its audio."""


class GttsSynthesizer:
    """Google's Russian and English voices; any network or service error falls back offline."""

    name: Final = "gtts"
    languages: Final = frozenset({Language.RU, Language.EN})

    def __init__(
        self,
        *,
        fallback: Synthesizer | None = None,
        tld: str = "com",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Speak through translate.google.<tld>, and through fallback (eSpeak NG) when it fails."""
        self._fallback: Synthesizer = fallback or EspeakSynthesizer()
        self._tld = tld
        self._timeout = timeout

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        """Speak text in language at rate percent; offline speech when Google cannot answer."""
        check_request(self.name, self.languages, text, language, rate)
        try:
            samples, sample_rate = decode_mp3(self._fetch(text, language))
            samples = change_tempo(samples, sample_rate, rate / NORMAL_RATE)
            return Speech(samples, sample_rate, self.name)
        except _SERVICE_ERRORS as error:
            # A fresh logger each time, so the logging set-up in force now applies.
            structlog.get_logger(__name__).warning(
                "speech_engine_fell_back",
                engine=self.name,
                fallback=self._fallback.name,
                language=language.value,
                error=type(error).__name__,
            )
        return self._fallback.synthesize(text, language, rate=rate)

    def _fetch(self, text: str, language: Language) -> bytes:
        """MP3 bytes of text spoken by Google."""
        mp3 = io.BytesIO()
        gTTS(
            text, tld=self._tld, lang=language.value, lang_check=False, timeout=self._timeout
        ).write_to_fp(mp3)
        return mp3.getvalue()
