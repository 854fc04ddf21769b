"""Kazakh letters read by the Russian voice: each Kazakh-only letter becomes the Russian letter
read closest to it (voice/synthesis/kazakh_letters.py says why each), so Festival says Kazakh
words whole instead of dropping letters ("Қарағанды" was "ара анды")."""

from __future__ import annotations

import pytest

from voice.synthesis.festival import festival_text
from voice.synthesis.kazakh_letters import KAZAKH_ONLY, as_russian_letters

SENTENCE = "Әлеуметтік көмек үшін өтініш беріңіз, біз сізге қоңырау шаламыз. Жиһаз, Ұлытау."


@pytest.mark.parametrize(
    ("kazakh", "russian"),
    [
        ("Қарағанды", "Караганды"),  # қ ғ: к г, as the Russian spelling of the name
        ("Жаңаөзен", "Жанаозен"),  # ң: н; ө after a vowel: о
        ("Ұлытау", "Улытау"),  # ұ: у
        ("тілек", "тилек"),  # і: и
        ("жиһаз", "жихаз"),  # һ: х
        ("мәселе", "мяселе"),  # ә after a consonant: я (a soft consonant and a front [æ])
        ("көшесі", "кёшеси"),  # ө after a consonant: ё
        ("түс", "тюс"),  # ү after a consonant: ю
        ("әке", "эке"),  # at a word's start no [j]: э, о, у
        ("өзен", "озен"),
        ("үй", "уй"),
        ("ӘКЕ КӨШЕСІ", "ЭКЕ КЁШЕСИ"),  # capitals stay capitals
        ("Kömek", "Kёmek"),  # the Kazakh Latin letters as their Cyrillic twins
        ("Социальное такси бесплатно.", "Социальное такси бесплатно."),  # Russian: unchanged
    ],
)
def test_each_letter_becomes_the_closest_russian_reading(kazakh: str, russian: str) -> None:
    assert as_russian_letters(kazakh) == russian


def test_no_kazakh_only_letter_is_left_in_any_place() -> None:
    places = [
        f"{a}{letter}{b}" for letter in KAZAKH_ONLY for a in ("", "к", "а") for b in ("", "т")
    ]
    for word in places:
        assert not set(as_russian_letters(word)) & KAZAKH_ONLY, word


def test_festival_gets_every_kazakh_word_whole() -> None:
    spoken = festival_text(SENTENCE)
    assert not set(spoken) & KAZAKH_ONLY
    assert len(spoken.split()) == len(SENTENCE.split()), spoken
    assert spoken.startswith("элеуметтик кёмек ушин отиниш берини")
    assert (
        festival_text("Где: город Шымкент, Абай көшесі 10") == "где: город шымкент, абай кёшеси 10"
    )
