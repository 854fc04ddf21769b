"""Decoded audio: mono signed 16-bit samples at a known rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SAMPLE_RATE = 16_000


@dataclass(frozen=True, eq=False)
class Pcm:
    """Mono signed 16-bit PCM audio, as speech recognisers take it."""

    samples: NDArray[np.int16]
    sample_rate: int = SAMPLE_RATE

    def __post_init__(self) -> None:
        if self.samples.dtype != np.int16 or self.samples.ndim != 1:
            raise ValueError(
                f"Pcm needs 1-D int16 samples, got {self.samples.dtype} {self.samples.shape}"
            )
        if self.sample_rate <= 0:
            raise ValueError(f"Pcm needs a positive sample rate, got {self.sample_rate}")

    @property
    def seconds(self) -> float:
        """The duration in seconds."""
        return len(self.samples) / self.sample_rate
