"""Whisper recognition on real recordings, and what it does with audio meant to trip it up."""

from __future__ import annotations

import asyncio
import itertools
import math
import wave
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from core.profile import Language
from tests.conftest import need
from tests.testdata import SPEECH, shared_data
from voice.audio import decode
from voice.evaluation import FESTVOX_RU, festvox_sentences, shared_clips, word_error_rate
from voice.recognition import RecognitionConfig, RecognitionTimedOut, RecognizerPool
from voice.recognition.base import Transcript
from voice.recognition.whisper_engine import (
    MAX_NEW_TOKENS,
    WINDOW_SECONDS,
    WhisperModelLoader,
    WhisperRecognizer,
    drop_repeats,
    hotwords,
    max_new_tokens,
)


def read_clip(path: Path) -> NDArray[np.int16]:
    return decode(path.read_bytes()).samples


def click_train(seconds: float = 2.0) -> NDArray[np.int16]:
    """Sharp clicks ten times a second: nothing anyone said."""
    samples = np.zeros(int(16_000 * seconds), dtype=np.int16)
    samples[::1600] = 30_000
    samples[1::1600] = -30_000
    return samples


def noise(seconds: float = 3.0) -> NDArray[np.int16]:
    generator = np.random.default_rng(18)
    return (generator.normal(0, 3000, int(16_000 * seconds))).astype(np.int16)


def long_speech(seconds: float = 120.0) -> NDArray[np.int16]:
    """Two minutes of real Russian speech: festvox-ru's studio sentences one after another."""
    parts: list[NDArray[np.int16]] = []
    total = 0
    for clip in festvox_sentences(40, seed=1):
        with wave.open(str(clip.path)) as reader:
            part = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
        parts.append(part.astype(np.int16))
        total += len(part)
        if total >= 16_000 * seconds:
            break
    return np.concatenate(parts)[: int(16_000 * seconds)]


def test_new_tokens_follow_the_clip_length() -> None:
    assert max_new_tokens(0.0) == max_new_tokens(1.0) == 32
    assert max_new_tokens(5.0) == 80
    assert max_new_tokens(120.0) == max_new_tokens(30.0) == MAX_NEW_TOKENS


def test_hotwords_take_the_shortest_phrases_first() -> None:
    assert hotwords(None) is None
    assert hotwords(["Нет!", "да", "повторить"]) == "да, нет, повторить"
    many = hotwords([f"фраза номер {n}" for n in range(100)])
    assert many is not None and len(many) <= 160


def test_a_decoding_loop_is_cut_back_but_a_few_repeats_stay() -> None:
    assert drop_repeats(["нет", "нет", "нет"]) == ["нет", "нет", "нет"]
    assert drop_repeats(["спасибо", "за", "внимание"] * 20) == ["спасибо", "за", "внимание"] * 3
    assert drop_repeats(["a", "b", "c", "d"]) == ["a", "b", "c", "d"]


def test_russian_and_english_recordings(whisper_loader: WhisperModelLoader) -> None:
    shared_data("speech")
    need(FESTVOX_RU.is_dir(), "festvox-ru is not installed")
    russian = WhisperRecognizer(whisper_loader, Language.RU)
    # Russian over more than one speaker's six words: Whisper's int8 kernels differ by CPU
    # (AVX2, AVX-512 VNNI), and on some the Golos clip alone has one wrong word, on others two
    # (BENCHMARKS.md, "Whisper's Russian on two kinds of CPU"). The bound holds for the lot.
    clips = [
        *shared_clips(SPEECH, frozenset({Language.RU})),
        *festvox_sentences(3, seed=5, max_seconds=6.0),
    ]
    heard = [russian.recognize(read_clip(clip.path)) for clip in clips]
    assert {(h.engine, h.language) for h in heard} == {("whisper", Language.RU)}
    texts = [h.text for h in heard]
    assert word_error_rate([clip.transcript for clip in clips], texts, Language.RU) <= 0.25, texts
    english = WhisperRecognizer(whisper_loader, Language.EN)
    [cards] = [
        clip
        for clip in shared_clips(SPEECH, frozenset({Language.EN}))
        if "forever" in clip.path.name
    ]
    heard_en = english.recognize(read_clip(cards.path))
    assert word_error_rate([cards.transcript], [heard_en.text], Language.EN) <= 0.12, heard_en.text


@pytest.mark.parametrize(
    "audio",
    [click_train(), np.zeros(16_000 * 3, dtype=np.int16), noise()],
    ids=["clicks", "silence", "noise"],
)
def test_hostile_audio_gives_little_or_nothing(
    whisper_loader: WhisperModelLoader, audio: NDArray[np.int16]
) -> None:
    heard = WhisperRecognizer(whisper_loader, Language.RU).recognize(audio)
    assert not heard.cut_short
    assert len(heard.text.split()) <= 6, heard.text  # the VAD hears no speech, or a word or two
    assert_bounded(heard)


def assert_bounded(heard: Transcript) -> None:
    """The decoder's work was bounded, whatever the audio: it never loops.

    The library reports one temperature (a hard window is never decoded again at another) and
    the token bound for this clip's length; each window it decoded stayed within that bound, at
    that temperature, and there were no more windows than the clip has."""
    assert heard.temperatures == (0.0,)
    assert heard.token_limit == max_new_tokens(heard.audio_seconds)
    assert len(heard.windows) <= math.ceil(heard.audio_seconds / WINDOW_SECONDS)
    for window in heard.windows:
        assert window.tokens <= heard.token_limit
        assert window.temperature == 0.0


def test_a_long_clip_stops_at_the_time_limit(whisper_loader: WhisperModelLoader) -> None:
    need(FESTVOX_RU.is_dir(), "festvox-ru is not installed")
    # The clock moves 100 s each time it is read; the limit is 20 s: one window, then stop.
    ticks = itertools.count(step=100.0)
    recognizer = WhisperRecognizer(
        whisper_loader, Language.RU, clock=lambda: float(next(ticks)), time_limit=20.0
    )
    heard = recognizer.recognize(long_speech())
    assert heard.cut_short
    assert heard.audio_seconds == pytest.approx(120.0)
    assert 0 < len(heard.text.split()) <= MAX_NEW_TOKENS
    assert len(heard.windows) == 1, "one window, then the limit stopped it"
    assert heard.token_limit == MAX_NEW_TOKENS
    assert_bounded(heard)


async def test_the_pool_abandons_a_clip_past_its_limit(
    whisper_loader: WhisperModelLoader, tmp_path: Path
) -> None:
    need(FESTVOX_RU.is_dir(), "festvox-ru is not installed")
    config = RecognitionConfig(tmp_path / "vosk", time_limit=0.05)
    pool = RecognizerPool(config, whisper=whisper_loader)
    try:
        await pool.load(Language.RU)
        with pytest.raises(RecognitionTimedOut):
            await pool.transcribe(long_speech(30.0), Language.RU)
    finally:
        await asyncio.to_thread(pool.close)
