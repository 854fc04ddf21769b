"""Is there speech in a recording at all? A simple energy-based voice-activity check."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from voice.audio.pcm import Pcm

FRAME_SECONDS = 0.03
# Levels are in dB relative to one 16-bit step: full scale is about 90 dB.
DIGITAL_SILENCE_DB = 6.0  # zeros from a microphone that is still starting
QUIET_DB = 35.0  # about -55 dBFS: no frame this quiet is speech
FLOOR_PERCENTILE = 10.0  # the background is what the quietest tenth of the frames hold
# Backgrounds are quieter than about -40 dBFS; a louder "floor" is a word with no pause around it.
BACKGROUND_CEILING_DB = 50.0
ABOVE_BACKGROUND_DB = 12.0  # speech stands this far above the background...
ABOVE_FLOOR_DB = 3.0  # ...and always this far above the quietest frames (hiss and hum do not)
MIN_SPEECH_FRAMES = 3  # 90 ms: a short "да" is enough, a click is not


def is_silence(pcm: Pcm) -> bool:
    """True for silence or steady background noise, False when something like speech is there."""
    levels = frame_levels(pcm)
    heard = levels[levels > DIGITAL_SILENCE_DB]
    if heard.size < MIN_SPEECH_FRAMES:
        return True
    floor = float(np.percentile(heard, FLOOR_PERCENTILE))
    background = min(floor, BACKGROUND_CEILING_DB)
    threshold = max(QUIET_DB, background + ABOVE_BACKGROUND_DB, floor + ABOVE_FLOOR_DB)
    return int(np.count_nonzero(levels > threshold)) < MIN_SPEECH_FRAMES


def frame_levels(pcm: Pcm) -> NDArray[np.float64]:
    """The level of each 30 ms frame in dB relative to one 16-bit step, DC removed."""
    size = max(1, round(pcm.sample_rate * FRAME_SECONDS))
    count = len(pcm.samples) // size
    frames = pcm.samples[: count * size].astype(np.float64).reshape(count, size)
    frames -= frames.mean(axis=1, keepdims=True)
    power = np.mean(frames * frames, axis=1)
    return np.asarray(10.0 * np.log10(power + 1.0), dtype=np.float64)
