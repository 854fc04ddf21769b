"""Speech synthesis with eSpeak NG: every language, rates, threads; choosing an engine."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from core.profile import Language
from voice.synthesis import (
    EspeakSynthesizer,
    Speech,
    Synthesizer,
    choose_synthesizer,
    normalise_for_speech,
)

SENTENCES = {
    Language.KK: "Сәлеметсіз бе! Сізге қалай көмектесе аламын?",
    Language.RU: "Здравствуйте! Чем я могу вам помочь?",
    Language.EN: "Hello! How can I help you today?",
}

FIFTEEN_WORDS = {
    Language.KK: "Ертең таңертең сағат онда әлеуметтік такси сізді үйіңізден алып, "
    "қалалық емханаға апарады, сонда күтіп тұрыңыз.",
    Language.RU: "Завтра в десять утра социальное такси заберёт вас из дома и отвезёт "
    "в поликлинику, ждите.",
    Language.EN: "Tomorrow at ten the social taxi will pick you up and drive you to hospital.",
}

SILENCE_RMS = 300.0
"""An RMS level above what near-silence or clicks reach; eSpeak NG speech is about 3,000."""


@pytest.fixture(scope="module")
def espeak() -> EspeakSynthesizer:
    return EspeakSynthesizer()


SAME_LENGTH = 0.02
"""eSpeak NG keeps pitch-flutter state between calls: the same text comes out up to ~1 % longer
or shorter each time, so "the same speech" allows 2 % in length and 10 % in loudness."""


def assert_same_speech(got: Speech, expected: Speech) -> None:
    """The same words at the same rate, as far as eSpeak NG repeats itself."""
    assert got.sample_rate == expected.sample_rate
    assert got.seconds == pytest.approx(expected.seconds, rel=SAME_LENGTH)
    assert got.rms() == pytest.approx(expected.rms(), rel=0.1)


@pytest.mark.parametrize("language", list(Language))
def test_each_language_is_spoken_as_audible_speech_of_plausible_length(
    espeak: EspeakSynthesizer, language: Language
) -> None:
    speech = espeak.synthesize(SENTENCES[language], language)

    assert speech.sample_rate == 22050
    assert speech.samples.dtype == np.int16
    assert speech.samples.ndim == 1
    assert 0.5 < speech.seconds < 6.0
    assert speech.rms() > SILENCE_RMS
    assert speech.engine == "espeak"


@pytest.mark.parametrize("language", list(Language))
def test_faster_rate_gives_shorter_speech(espeak: EspeakSynthesizer, language: Language) -> None:
    slow = espeak.synthesize(FIFTEEN_WORDS[language], language, rate=70)
    normal = espeak.synthesize(FIFTEEN_WORDS[language], language, rate=100)
    fast = espeak.synthesize(FIFTEEN_WORDS[language], language, rate=150)

    assert slow.seconds > normal.seconds > fast.seconds
    assert fast.seconds < 0.8 * slow.seconds
    assert fast.rms() > SILENCE_RMS


def test_rate_limits_are_spoken_and_outside_them_refused(espeak: EspeakSynthesizer) -> None:
    assert espeak.synthesize("Yes.", Language.EN, rate=50).seconds > 0
    assert espeak.synthesize("Yes.", Language.EN, rate=200).seconds > 0
    with pytest.raises(ValueError, match="50–200"):
        espeak.synthesize("Yes.", Language.EN, rate=201)
    with pytest.raises(ValueError, match="50–200"):
        espeak.synthesize("Yes.", Language.EN, rate=49)


def test_empty_text_is_refused(espeak: EspeakSynthesizer) -> None:
    with pytest.raises(ValueError, match="empty"):
        espeak.synthesize("  \n", Language.RU)


def test_kazakh_letters_are_pronounced_by_a_kazakh_voice(espeak: EspeakSynthesizer) -> None:
    text = "Әлеуметтік көмек үшін өтініш беріңіз, біз сізге қоңырау шаламыз."
    kazakh = espeak.synthesize(text, Language.KK)
    read_by_russian_voice = EspeakSynthesizer({Language.KK: "ru"}).synthesize(text, Language.KK)

    assert not np.array_equal(kazakh.samples, read_by_russian_voice.samples)
    # The Russian voice spells out letters it lacks (ә, ө, ү, і, қ, ң); Kazakh says them.
    assert kazakh.seconds < 0.8 * read_by_russian_voice.seconds


def test_speech_is_immutable_and_knows_its_length() -> None:
    speech = Speech(np.zeros(11025, dtype=np.int16), 22050)

    assert speech.seconds == 0.5
    assert speech.rms() == 0.0
    with pytest.raises(ValueError, match="read-only"):
        speech.samples[0] = 1
    with pytest.raises(ValueError, match="int16"):
        Speech(np.zeros(10, dtype=np.float32), 22050)


def test_threads_synthesising_at_once_get_what_they_would_alone(
    espeak: EspeakSynthesizer,
) -> None:
    kinds = [(language, rate) for language in Language for rate in (70, 100, 150)]
    alone = {job: espeak.synthesize(FIFTEEN_WORDS[job[0]], job[0], rate=job[1]) for job in kinds}
    lengths = sorted(speech.seconds for speech in alone.values())
    # Every job sounds different enough that a mix-up could not pass for the right answer.
    assert all(b > a * (1 + 2 * SAME_LENGTH) for a, b in itertools.pairwise(lengths))
    jobs = kinds * 2
    workers = 6
    start = threading.Barrier(workers)

    def speak(index: int) -> list[tuple[tuple[Language, int], Speech]]:
        start.wait(timeout=10)
        return [
            (job, espeak.synthesize(FIFTEEN_WORDS[job[0]], job[0], rate=job[1]))
            for job in jobs[index::workers]
        ]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        together = [pair for batch in pool.map(speak, range(workers)) for pair in batch]

    assert len(together) == len(jobs)
    for job, speech in together:
        assert_same_speech(speech, alone[job])


@pytest.mark.parametrize("language", list(Language))
def test_a_normalised_answer_is_spoken(espeak: EspeakSynthesizer, language: Language) -> None:
    answer = {
        Language.KK: "МӘС-ке 01.07.2023 дейін барыңыз 👍 https://egov.kz",
        Language.RU: "Сходите на МСЭ до 01.07.2023 👍 https://egov.kz",
        Language.EN: "Go to the MSE by 01.07.2023 👍 https://egov.kz",
    }[language]
    text = normalise_for_speech(answer, language)

    speech = espeak.synthesize(text, language)

    assert not any(char.isdigit() for char in text)
    assert "http" not in text
    assert 1.0 < speech.seconds < 8.0
    assert speech.rms() > SILENCE_RMS


# Choosing an engine.


def test_espeak_is_chosen_by_default_for_every_language() -> None:
    for language in Language:
        synthesizer = choose_synthesizer(language)
        assert isinstance(synthesizer, Synthesizer)
        assert synthesizer.name == "espeak"
        assert language in synthesizer.languages


def test_gtts_is_chosen_for_russian_and_english_and_espeak_for_kazakh() -> None:
    assert choose_synthesizer(Language.RU, engine="gtts").name == "gtts"
    assert choose_synthesizer(Language.EN, engine="gtts").name == "gtts"
    assert choose_synthesizer(Language.KK, engine="gtts").name == "espeak"


def test_an_unknown_engine_or_piper_without_a_model_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown speech engine 'rhvoice'"):
        choose_synthesizer(Language.RU, engine="rhvoice")
    with pytest.raises(ValueError, match="needs a voice model path"):
        choose_synthesizer(Language.RU, engine="piper")
