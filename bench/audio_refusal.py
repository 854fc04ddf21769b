"""CPU time of refusing audio that is too long or too big, against decoding all of it.

    .venv/bin/python bench/audio_refusal.py [--runs 3]

The recordings are the tests' own (tests/voice/test_audio.py): ten minutes of Opus in OGG (which
declares its duration), in live WebM (which does not), and in WAV, and 20 MB + 1 byte of zeros.
Prints JSON: the median CPU seconds of `decode()` refusing each, of decoding the whole ten
minutes with the limit raised (what the limit saves), and the calibration loop's CPU seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from bench.calibration import calibration_seconds
from tests.voice.test_audio import long_opus, wav
from voice.audio import AudioError, decode


def cpu_seconds(call: Callable[[], object], runs: int) -> float:
    """Median CPU seconds of `runs` calls, whether they return or raise AudioError."""
    spent = []
    for _ in range(runs):
        started = time.process_time()
        with contextlib.suppress(AudioError):
            call()
        spent.append(time.process_time() - started)
    return round(statistics.median(spent), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    ogg = long_opus("ogg", 600)
    webm = long_opus("webm", 600, {"live": "1"})
    wave_file = wav(np.zeros(600 * 8_000, np.int16), 8_000)
    too_big = bytes(20 * 1024 * 1024 + 1)
    report = {
        "calibration_cpu_s": calibration_seconds(),
        "refuse_10_min_ogg_cpu_s": cpu_seconds(lambda: decode(ogg), runs),
        "refuse_10_min_live_webm_cpu_s": cpu_seconds(lambda: decode(webm), runs),
        "refuse_10_min_wav_cpu_s": cpu_seconds(lambda: decode(wave_file), runs),
        "refuse_20_mb_cpu_s": cpu_seconds(lambda: decode(too_big), runs),
        "decode_all_10_min_webm_cpu_s": cpu_seconds(lambda: decode(webm, max_seconds=700), runs),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
