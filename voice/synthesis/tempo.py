"""Faster or slower speech at the same pitch, for voices that cannot change their own pace.

FFmpeg's `atempo` filter (through PyAV) stretches time without changing pitch; it takes
factors from 0.5 to 2.0, which is the speech-rate range people can choose (50–200 %).
"""

from __future__ import annotations

from fractions import Fraction

import av
import av.filter
import numpy as np
from numpy.typing import NDArray

from voice.synthesis.base import MAX_RATE, MIN_RATE, NORMAL_RATE


def change_tempo(samples: NDArray[np.int16], sample_rate: int, rate: int) -> NDArray[np.int16]:
    """The speech at `rate` percent of its speed (pitch kept); unchanged at 100 %."""
    if rate == NORMAL_RATE or not len(samples):
        return samples
    factor = min(max(rate, MIN_RATE), MAX_RATE) / NORMAL_RATE
    graph = av.filter.Graph()
    source = graph.add_abuffer(
        format="s16", sample_rate=sample_rate, layout="mono", time_base=Fraction(1, sample_rate)
    )
    tempo = graph.add("atempo", f"{factor:.4f}")
    sink = graph.add("abuffersink")
    source.link_to(tempo)
    tempo.link_to(sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = sample_rate
    frame.pts = 0
    graph.push(frame)
    graph.push(None)
    parts: list[NDArray[np.int16]] = []
    while True:
        try:
            out = graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            break
        parts.append(np.asarray(out.to_ndarray(), dtype=np.int16).reshape(-1))
    return np.concatenate(parts) if parts else samples[:0]
