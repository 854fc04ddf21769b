"""A fixed pure-Python loop, timed in CPU seconds: the yardstick printed beside every figure.

A benchmark's figure is comparable across machines (and across a busy and a quiet hour on the
same machine) only with this beside it: if the loop takes twice as long, so does everything.
"""

from __future__ import annotations

import time

LOOP_ROUNDS = 2_000_000


def calibration_seconds(repeat: int = 3) -> float:
    """CPU seconds of the fastest of `repeat` runs of the same integer loop."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        total = 0
        for number in range(LOOP_ROUNDS):
            total += number * number % 7
        best = min(best, time.process_time() - started)
        assert total > 0
    return round(best, 3)
