"""Silence and steady noise are silence; recorded and synthesised speech, even one word, is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import need
from tests.testdata import SPEECH, shared_data
from tests.voice.test_audio import Samples, speechlike
from voice.audio import Pcm, decode, encode_voice_note, is_silence


def noise(amplitude: int, seconds: float = 5.0, seed: int = 11) -> Samples:
    """Uniform white noise between -amplitude and +amplitude."""
    rng = np.random.default_rng(seed)
    return rng.integers(-amplitude, amplitude + 1, round(seconds * 16_000)).astype(np.int16)


def hum(seconds: float = 3.0) -> Samples:
    """Mains hum with its harmonics: loud, steady, no speech."""
    t = np.arange(round(seconds * 16_000)) / 16_000
    tones = np.zeros_like(t)
    for k in range(1, 8):
        tones += np.sin(2 * np.pi * 50 * k * t) / k
    return (tones * 5_000).astype(np.int16)


@pytest.mark.parametrize(
    "samples",
    [
        pytest.param(np.zeros(48_000, np.int16), id="digital-silence"),
        pytest.param(np.zeros(0, np.int16), id="nothing"),
        pytest.param(noise(300), id="white-noise-300"),
        pytest.param(noise(3_000), id="loud-white-noise"),
        pytest.param(np.concatenate([np.zeros(16_000, np.int16), noise(1_000)]), id="zeros-noise"),
        pytest.param(hum(), id="mains-hum"),
    ],
)
def test_silence_and_steady_noise_are_silence(samples: Samples) -> None:
    assert is_silence(Pcm(samples))


def test_noise_is_still_silence_after_a_voice_note_round_trip() -> None:
    assert is_silence(decode(encode_voice_note(noise(300, seconds=10.0), 16_000)))


def test_a_word_in_noise_is_not_silence() -> None:
    samples = noise(300, seconds=3.0).astype(np.int32)
    samples[24_000:28_000] += speechlike(0.25)
    assert not is_silence(Pcm(np.clip(samples, -32_768, 32_767).astype(np.int16)))


def speech_files() -> list[object]:
    files = sorted(p for p in SPEECH.glob("*") if p.suffix in {".wav", ".flac"})
    return [pytest.param(p, id=p.stem) for p in files] or [pytest.param(SPEECH, id="missing")]


@pytest.mark.parametrize("path", speech_files())
def test_recorded_speech_is_not_silence_and_survives_a_voice_note(path: Path) -> None:
    pcm = decode(shared_data(path).read_bytes())

    assert not is_silence(pcm)
    again = decode(encode_voice_note(pcm.samples, pcm.sample_rate))
    assert again.seconds == pytest.approx(pcm.seconds, abs=0.1)
    assert not is_silence(again)


ESPEAK = """
import ctypes, sys
import espeakng_loader
lib = ctypes.CDLL(espeakng_loader.get_library_path())
rate = lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)
chunks = []
Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
def keep(wav, count, events):
    chunks.append(ctypes.string_at(wav, count * 2) if count > 0 else b"")
    return 0
callback = Callback(keep)
lib.espeak_SetSynthCallback(callback)
assert lib.espeak_SetVoiceByName(sys.argv[1].encode()) == 0
text = sys.argv[2].encode()
assert lib.espeak_Synth(text, len(text) + 1, 0, 1, 0, 1, None, None) == 0
lib.espeak_Synchronize()
sys.stdout.buffer.write(rate.to_bytes(4, "little") + b"".join(chunks))
"""


def espeak(voice: str, text: str) -> tuple[Samples, int]:
    """Speech from eSpeak NG, in a child process so its global state stays out of this one."""
    done = subprocess.run(
        [sys.executable, "-c", ESPEAK, voice, text], capture_output=True, check=False
    )
    need(done.returncode == 0, f"eSpeak NG (espeakng-loader) did not run: {done.stderr[-300:]!r}")
    return np.frombuffer(done.stdout[4:], np.int16), int.from_bytes(done.stdout[:4], "little")


@pytest.mark.parametrize(
    ("voice", "text"),
    [("kk", "Маған көмек керек"), ("ru", "да"), ("en", "yes")],
)
def test_espeak_speech_is_not_silence_even_a_single_word(voice: str, text: str) -> None:
    samples, rate = espeak(voice, text)

    assert not is_silence(Pcm(samples, rate))
    assert not is_silence(decode(encode_voice_note(samples, rate)))
