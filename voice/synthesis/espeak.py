"""eSpeak NG through the shared library that espeakng-loader ships: offline, kk, ru and en."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import espeakng_loader  # type: ignore[import-untyped]
import numpy as np

from core.profile import Language
from voice.synthesis.base import NORMAL_RATE, Speech, SynthesisError, check_request

SAMPLE_RATE: Final = 22050
"""Sample rate of every eSpeak NG voice we use."""

NORMAL_WPM: Final = 175
"""eSpeak NG's default speed in words per minute, our 100 %."""

MIN_WPM: Final = 80
MAX_WPM: Final = 450

# English is American: the offline English recogniser (PocketSphinx's US model) understands it
# best when the bot's own speech is fed back, as the voice tests do.
DEFAULT_VOICES: Final[Mapping[Language, str]] = {
    Language.KK: "kk",
    Language.RU: "ru",
    Language.EN: "en-us",
}

# speak_lib.h constants.
_AUDIO_OUTPUT_SYNCHRONOUS: Final = 2
_INITIALIZE_DONT_EXIT: Final = 0x8000
_CHARS_UTF8: Final = 1
_POS_CHARACTER: Final = 1
_EE_OK: Final = 0
_PARAM_RATE: Final = 1
_PARAM_VOLUME: Final = 2
_PARAM_PITCH: Final = 3
_PARAM_PUNCTUATION: Final = 5
_PARAM_CAPITALS: Final = 6
_PUNCT_NONE: Final = 0
_VOLUME: Final = 100
_PITCH: Final = 50


class _EventId(ctypes.Union):
    _fields_ = (("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8))


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    )


class _VoiceSpec(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class _Engine:
    """The process-wide eSpeak NG library; every call happens under its lock."""

    def __init__(self) -> None:
        """Load the library and set it up for synchronous synthesis into a callback."""
        self.lock = threading.Lock()
        self._chunks: list[bytes] = []
        library = Path(espeakng_loader.get_library_path())
        data = Path(espeakng_loader.get_data_path())
        try:
            self._lib = ctypes.CDLL(str(library))
        except OSError as error:
            raise SynthesisError(f"cannot load the eSpeak NG library {library}: {error}") from error
        lib = self._lib
        lib.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = (_SynthCallback,)
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByProperties.argtypes = (ctypes.POINTER(_VoiceSpec),)
        lib.espeak_SetVoiceByProperties.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = (
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
            ctypes.c_void_p,
        )
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.argtypes = ()
        lib.espeak_Synchronize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, str(data).encode(), _INITIALIZE_DONT_EXIT
        )
        if rate != SAMPLE_RATE:
            raise SynthesisError(
                f"eSpeak NG did not start with its data at {data} (it returned {rate})"
            )
        # Kept on self: ctypes must not collect the callback while the library holds it.
        self._callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)
        self._voice: str | None = None

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: object) -> int:
        """Keep a chunk of samples the library hands over; 0 means go on."""
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def _select(self, voice: str) -> bool:
        """Select the voice by name, else the best voice for its language."""
        if self._lib.espeak_SetVoiceByName(voice.encode()) == _EE_OK:
            return True
        spec = _VoiceSpec(languages=voice.split("+")[0].encode())
        return bool(self._lib.espeak_SetVoiceByProperties(ctypes.byref(spec)) == _EE_OK)

    def _set_voice(self, voice: str) -> None:
        """Make voice the current one, unless it already is."""
        if voice == self._voice:
            return
        if not self._select(voice):
            self._voice = None
            raise SynthesisError(f"eSpeak NG has no voice {voice!r}")
        self._voice = voice

    def speak(self, text: str, voice: str, words_per_minute: int) -> bytes:
        """Synthesise text with a voice at a speed; the caller holds the lock."""
        self._set_voice(voice)
        lib = self._lib
        for parameter, value in (
            (_PARAM_RATE, words_per_minute),
            (_PARAM_VOLUME, _VOLUME),
            (_PARAM_PITCH, _PITCH),
            (_PARAM_PUNCTUATION, _PUNCT_NONE),
            (_PARAM_CAPITALS, 0),
        ):
            lib.espeak_SetParameter(parameter, value, 0)
        self._chunks = []
        encoded = text.encode("utf-8")
        status = lib.espeak_Synth(
            encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != _EE_OK or lib.espeak_Synchronize() != _EE_OK:
            self._chunks = []
            raise SynthesisError(f"eSpeak NG failed to synthesise (status {status})")
        pcm = b"".join(self._chunks)
        self._chunks = []
        return pcm


_engine: _Engine | None = None
_engine_lock = threading.Lock()


def _shared_engine() -> _Engine:
    """The one eSpeak NG engine of this process, started on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _Engine()
        return _engine


def words_per_minute(rate: int) -> int:
    """eSpeak NG speed for a rate in percent of normal speed."""
    return max(MIN_WPM, min(MAX_WPM, round(NORMAL_WPM * rate / 100)))


class EspeakSynthesizer:
    """Offline speech in Kazakh, Russian and English with eSpeak NG."""

    name: Final = "espeak"
    languages: Final = frozenset({Language.KK, Language.RU, Language.EN})

    def __init__(self, voices: Mapping[Language, str] | None = None) -> None:
        """Use eSpeak NG voice names per language, e.g. {Language.EN: "en-us+f3"}."""
        self._voices = {**DEFAULT_VOICES, **(voices or {})}

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        """Speak text in language at rate percent of normal speed."""
        check_request(self.name, self.languages, text, language, rate)
        engine = _shared_engine()
        with engine.lock:
            pcm = engine.speak(text, self._voices[language], words_per_minute(rate))
        if not pcm:
            raise SynthesisError("eSpeak NG produced no audio")
        return Speech(np.frombuffer(pcm, dtype="<i2").astype(np.int16), SAMPLE_RATE, self.name)
