"""Audio for the recognition tests: recordings read at 16 kHz, eSpeak NG speech, silence, WER."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import av
import jiwer
import numpy as np
from av.audio.resampler import AudioResampler
from numpy.typing import NDArray

from tests.conftest import need
from tests.testdata import SPEECH

HANGUL = range(0xAC00, 0xD7A4)
NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "oh"]
NORMALISE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),  # type: ignore[no-untyped-call]
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)

# eSpeak NG from the espeakng-loader wheel, in a child process so its global state stays there.
SYNTH = r"""
import ctypes, sys
import espeakng_loader as loader
lib = ctypes.CDLL(loader.get_library_path())
rate = lib.espeak_Initialize(2, 0, loader.get_data_path().encode(), 0)  # 2: synchronous
blocks = []
CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
@CALLBACK
def collect(wav, count, events):
    if count > 0:
        blocks.append(ctypes.string_at(wav, count * 2))
    return 0
lib.espeak_SetSynthCallback(collect)
if lib.espeak_SetVoiceByName(sys.argv[1].encode()) != 0:
    sys.exit(f"no eSpeak voice {sys.argv[1]!r}")
text = sys.argv[2].encode()
lib.espeak_Synth(text, len(text) + 1, 0, 0, 0, 1, None, None)  # 1: UTF-8
lib.espeak_Synchronize()
sys.stdout.write(f"{rate}\n")
sys.stdout.flush()
sys.stdout.buffer.write(b"".join(blocks))
"""


def wer(references: list[str], hypotheses: list[str]) -> float:
    """The word error rate, case and punctuation ignored."""
    return float(
        jiwer.wer(
            references, hypotheses, reference_transform=NORMALISE, hypothesis_transform=NORMALISE
        )
    )


def resample(samples: NDArray[np.int16], rate: int, to: int = 16_000) -> NDArray[np.int16]:
    """Mono 16-bit samples at another rate."""
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = AudioResampler(format="s16", layout="mono", rate=to)
    parts: list[NDArray[Any]] = [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(parts).astype(np.int16)


def read_audio(path: Path) -> NDArray[np.int16]:
    """A WAV or FLAC recording as 16 kHz mono 16-bit samples."""
    parts: list[NDArray[Any]] = []
    resampler = AudioResampler(format="s16", layout="mono", rate=16_000)
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(parts).astype(np.int16)


def audio_of(recordings: list[dict[str, str]], prefix: str) -> NDArray[np.int16]:
    """The one shared recording whose file name starts with `prefix`."""
    [row] = [row for row in recordings if row["file"].startswith(prefix)]
    return read_audio(SPEECH / row["file"])


def speak(voice: str, text: str) -> NDArray[np.int16]:
    """eSpeak NG speech at 16 kHz."""
    need(importlib.util.find_spec("espeakng_loader") is not None, "espeakng-loader is missing")
    done = subprocess.run(
        [sys.executable, "-c", SYNTH, voice, text], capture_output=True, check=True, timeout=60
    )
    header, _, raw = done.stdout.partition(b"\n")
    return resample(np.frombuffer(raw, dtype="<i2").astype(np.int16), int(header))


def silence(seconds: float) -> NDArray[np.int16]:
    """Digital silence at 16 kHz."""
    return np.zeros(int(16_000 * seconds), dtype=np.int16)


def hangul(text: str) -> bool:
    """Whether the text has a Hangul syllable (the Korean model heard something)."""
    return any(ord(character) in HANGUL for character in text)
