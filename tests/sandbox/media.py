"""Small audio files for tests."""

from __future__ import annotations

import io
import wave


def ogg_opus(seconds: int, pre_skip: int = 312) -> bytes:
    """Return bytes shaped like an OGG/Opus file of the given length (headers only, no audio)."""
    head = (
        b"OggS\x00\x02"
        + bytes(8)
        + bytes(13)
        + b"OpusHead\x01\x01"
        + pre_skip.to_bytes(2, "little")
    )
    granule = (seconds * 48000 + pre_skip).to_bytes(8, "little")
    return head + bytes(20) + b"OggS\x00\x04" + granule + bytes(20)


def wav_silence(seconds: float, rate: int = 8000) -> bytes:
    """Return a mono 16-bit WAV file of silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(int(seconds * rate) * 2))
    return buffer.getvalue()
