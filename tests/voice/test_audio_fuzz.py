"""Whatever bytes arrive, decoding answers with audio or an AudioError, having decoded at most
the two minutes it accepts (the CPU time it takes is measured in bench/audio_refusal.py)."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.voice.test_audio import speechlike
from voice.audio import (
    MAX_SECONDS,
    AudioError,
    Pcm,
    decode,
    duration_of,
    encode_voice_note,
    is_silence,
)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MOST_DECODED_SECONDS = MAX_SECONDS + 0.2  # the limit, plus one Opus frame past it

# How the files we accept begin, so that the fuzzer reaches past format detection.
MAGIC = [
    b"",
    b"OggS\x00\x02",
    b"RIFF\x24\x00\x00\x00WAVEfmt ",
    b"fLaC\x00\x00\x00\x22",
    b"ID3\x04\x00\x00",
    b"\xff\xfb\x90\x00",
    b"\x1aE\xdf\xa3",
    b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00",
    b"\xff\xf1\x50\x80",
    b"#!AMR\n",
]


@functools.cache
def voice_note() -> bytes:
    """A real two-second OGG/Opus voice note."""
    return encode_voice_note(speechlike(2.0), 16_000)


def check_decode(data: bytes) -> None:
    """Decode must return PCM or raise AudioError, never decoding past the limit."""
    pcm: Pcm | None = None
    try:
        pcm = decode(data)
    except AudioError as refused:
        decoded = refused.decoded_seconds
    else:
        decoded = pcm.seconds
        assert pcm.samples.dtype == np.int16
        assert 0 < pcm.seconds <= MAX_SECONDS
    assert 0.0 <= decoded <= MOST_DECODED_SECONDS
    seconds = duration_of(data)
    assert seconds is None or isinstance(seconds, float)


@FUZZ
@given(magic=st.sampled_from(MAGIC), rest=st.binary(max_size=4_096))
def test_arbitrary_bytes_never_raise_anything_but_audio_error(magic: bytes, rest: bytes) -> None:
    check_decode(magic + rest)


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(voice_note())),
    changes=st.lists(
        st.tuples(st.integers(0, len(voice_note()) - 1), st.integers(0, 255)), max_size=30
    ),
)
def test_mutated_or_truncated_voice_notes_never_raise_anything_but_audio_error(
    cut: int, changes: list[tuple[int, int]]
) -> None:
    data = bytearray(voice_note())
    for position, value in changes:
        data[position] = value
    check_decode(bytes(data[:cut]))


@settings(max_examples=60, deadline=None)
@given(samples=arrays(np.int16, st.integers(0, 20_000)), rate=st.sampled_from([8_000, 16_000]))
def test_silence_check_takes_any_samples(samples: np.ndarray, rate: int) -> None:
    assert isinstance(is_silence(Pcm(samples, rate)), bool)


@settings(max_examples=25, deadline=None)
@given(
    seconds=st.floats(min_value=0.05, max_value=2.0),
    rate=st.sampled_from([8_000, 11_025, 16_000, 22_050, 44_100, 48_000]),
)
def test_voice_notes_round_trip_to_the_same_length(seconds: float, rate: int) -> None:
    samples = speechlike(seconds, rate)

    pcm = decode(encode_voice_note(samples, rate))

    assert abs(pcm.seconds - len(samples) / rate) <= 0.1
