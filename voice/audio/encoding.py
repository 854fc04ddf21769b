"""PCM to a Telegram voice note: Opus in an OGG container, 48 kHz mono."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np
from numpy.typing import NDArray

from voice.audio.errors import AudioError, AudioProblem

OPUS_RATE = 48_000
BIT_RATE = 32_000


def encode_voice_note(samples: NDArray[np.int16], sample_rate: int) -> bytes:
    """Encode int16 mono PCM at any rate as an OGG/Opus voice note for Telegram's sendVoice."""
    if samples.dtype != np.int16 or samples.ndim != 1:
        raise ValueError(f"need 1-D int16 samples, got {samples.dtype} {samples.shape}")
    if sample_rate <= 0:
        raise ValueError(f"need a positive sample rate, got {sample_rate}")
    if samples.size == 0:
        raise AudioError(AudioProblem.EMPTY, "nothing to encode")
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples).reshape(1, -1), format="s16", layout="mono"
    )
    frame.sample_rate = sample_rate
    frame.time_base = Fraction(1, sample_rate)
    frame.pts = 0
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=OPUS_RATE, layout="mono")
        stream.bit_rate = BIT_RATE
        stream.codec_context.options = {"application": "voip"}  # tuned for speech
        container.mux(stream.encode(frame))  # PyAV resamples to 48 kHz in 20 ms frames
        container.mux(stream.encode(None))
    return buffer.getvalue()
