"""Audio in and out: decode what users send, detect silence, encode Telegram voice notes."""

from voice.audio.decoding import MAX_BYTES, MAX_SECONDS, decode, duration_of
from voice.audio.encoding import encode_voice_note
from voice.audio.errors import AudioError, AudioProblem
from voice.audio.pcm import SAMPLE_RATE, Pcm
from voice.audio.silence import is_silence

__all__ = [
    "MAX_BYTES",
    "MAX_SECONDS",
    "SAMPLE_RATE",
    "AudioError",
    "AudioProblem",
    "Pcm",
    "decode",
    "duration_of",
    "encode_voice_note",
    "is_silence",
]
