"""Festival's Russian voice: kept running, restarted when it fails, eSpeak NG behind it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import numpy as np
import pytest

from core.profile import Language
from tests.conftest import need
from voice.evaluation import word_error_rate
from voice.recognition.whisper_engine import WhisperModelLoader, WhisperRecognizer
from voice.synthesis import EspeakSynthesizer, normalise_for_speech
from voice.synthesis.base import SynthesisError
from voice.synthesis.choice import WithFallback
from voice.synthesis.festival import (
    FestivalSynthesizer,
    festival_available,
    festival_text,
    scheme_string,
)
from voice.synthesis.kazakh_letters import KAZAKH_ONLY, as_russian_letters

ANSWER = "Социальное такси бесплатно. Оно возит на работу, на учёбу и к врачу."


@pytest.fixture(scope="module")
def festival() -> Iterator[FestivalSynthesizer]:
    need(festival_available(), "festival and festvox-ru are not installed")
    voice = FestivalSynthesizer()
    yield voice
    voice.close()


def test_only_what_the_voice_can_read_reaches_it() -> None:
    assert festival_text("«Ёлка» — SMS, 2 шага!") == "ёлка смс, 2 шага!"


def test_a_mark_left_alone_joins_the_word_before_it() -> None:
    # "написал а ." or a lone "." silenced the whole answer: 74 catalog messages went to eSpeak.
    assert festival_text("Он написал(а).") == "он написал а."
    assert festival_text("Или скажите «нет».") == "или скажите нет."
    assert festival_text("« . » Да , нет !") == "да, нет!"
    assert festival_text("широта,долгота; дд.мм.гггг") == "широта, долгота; дд. мм. гггг"


def test_scheme_strings_cannot_break_out() -> None:
    assert scheme_string('он сказал "да" \\ (quit)') == '"он сказал \\"да\\" \\\\ (quit)"'
    assert scheme_string("две\nстроки") == '"две строки"'


def test_russian_speech_is_understood_by_whisper(
    festival: FestivalSynthesizer, whisper_loader: WhisperModelLoader
) -> None:
    speech = festival.synthesize(ANSWER, Language.RU)
    assert speech.engine == "festival" and 2.0 < speech.seconds < 12.0
    heard = WhisperRecognizer(whisper_loader, Language.RU).recognize(
        speech.samples, speech.sample_rate
    )
    assert word_error_rate([ANSWER], [heard.text], Language.RU) <= 0.25, heard.text


def test_the_rate_changes_the_length(festival: FestivalSynthesizer) -> None:
    normal = festival.synthesize("Шаг два из трёх.", Language.RU)
    slow = festival.synthesize("Шаг два из трёх.", Language.RU, rate=50)
    fast = festival.synthesize("Шаг два из трёх.", Language.RU, rate=200)
    assert fast.seconds < normal.seconds < slow.seconds


def test_numbers_dates_and_tenge_are_read_as_words(festival: FestivalSynthesizer) -> None:
    spoken = normalise_for_speech("Пособие 85 000 ₸ с 01.03.2024.", Language.RU)
    assert not any(character.isdigit() for character in spoken) and "тенге" in spoken
    assert festival.synthesize(spoken, Language.RU).seconds > 2.0


def test_one_process_serves_every_answer_and_a_dead_one_is_replaced(
    festival: FestivalSynthesizer,
) -> None:
    festival.synthesize("Да.", Language.RU)
    first = festival.pid
    festival.synthesize("Нет.", Language.RU)
    assert festival.pid == first, "the voice stays loaded between answers"
    assert first is not None
    os.kill(first, signal.SIGKILL)
    restarts = festival.restarts
    speech = festival.synthesize('Кавычки " и скобки ) не ломают голос.', Language.RU)
    assert speech.engine == "festival" and speech.seconds > 1.0
    assert festival.pid != first and festival.restarts > restarts


def test_catalog_endings_are_spoken_by_festival(festival: FestivalSynthesizer) -> None:
    for text in (
        "Семь написал(а).",
        "Утвердить и отправить (людей: один).",
        "Скажите «нет».",
        "Пишите широта,долгота или дд.мм.гггг.",
    ):
        speech = festival.synthesize(normalise_for_speech(text, Language.RU), Language.RU)
        assert speech.engine == "festival" and speech.seconds > 0.5, text


def test_a_text_without_sound_fails_without_a_new_process(festival: FestivalSynthesizer) -> None:
    festival.synthesize("Да.", Language.RU)
    first, restarts = festival.pid, festival.restarts
    with pytest.raises(SynthesisError, match="no sound"):
        festival.synthesize("!!!", Language.RU)  # nothing the voice can read
    assert festival.pid == first and festival.restarts == restarts
    assert festival.synthesize("Нет.", Language.RU).engine == "festival"


def test_a_failing_festival_hands_over_to_espeak() -> None:
    need(festival_available(), "festival and festvox-ru are not installed")
    # A Festival that quits as soon as it starts: it never says it is ready.
    broken = FestivalSynthesizer(voice="msu_ru_nsh_clunits) (quit")
    try:
        speech = WithFallback(broken, EspeakSynthesizer()).synthesize("Привет.", Language.RU)
    finally:
        broken.close()
    assert speech.engine == "espeak" and speech.seconds > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Где: город Шымкент, Абай көшесі 10, Қарағанды облысы.",  # Kazakh words in Russian
        "Әлеуметтік көмек үшін өтініш беріңіз.",  # a Kazakh message in the Russian voice
    ],
)
def test_kazakh_words_reach_festival_in_russian_letters(
    festival: FestivalSynthesizer, text: str
) -> None:
    """The sound is the sound of the text in Russian letters: what reached Festival had no
    Kazakh-only letter (they were dropped, splitting the words, before)."""
    speech = festival.synthesize(text, Language.RU)
    assert speech.engine == "festival" and speech.seconds > 1.5
    russian = festival.synthesize(as_russian_letters(text), Language.RU)
    assert np.array_equal(speech.samples, russian.samples)
    dropped = festival.synthesize(
        "".join(" " if letter in KAZAKH_ONLY else letter for letter in text), Language.RU
    )
    assert not np.array_equal(speech.samples, dropped.samples)
