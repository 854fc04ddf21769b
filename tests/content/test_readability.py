"""Plain language is measured (DESIGN.md rule 7) on every interface string."""

from __future__ import annotations

import pytest

from content.readability import (
    MAX_KAZAKH_SENTENCE_WORDS,
    english_syllables,
    flesch,
    measure,
    plain_enough,
)
from core.i18n import Catalogs
from core.profile import LANGUAGES, Language

MIN_WORDS_FOR_A_SCORE = 6
"""Flesch scores of a two-word label say nothing; labels are checked by sentence length only."""


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("cat", 1), ("table", 2), ("language", 2), ("reading", 2), ("disabilities", 5)],
)
def test_english_syllables(word: str, syllables: int) -> None:
    assert english_syllables(word) == syllables


def test_scores_separate_plain_from_bureaucratic() -> None:
    plain_en = "I will send you a text. You can read it at any time."
    heavy_en = (
        "Notwithstanding the aforementioned considerations, individualised rehabilitation "
        "programmes necessitate comprehensive interdepartmental documentation."
    )
    assert flesch(plain_en, Language.EN) > 80 > 0 > flesch(heavy_en, Language.EN)
    plain_ru = "Я пришлю вам текст. Его можно читать когда угодно."
    heavy_ru = (
        "Индивидуальная программа реабилитации предусматривает осуществление "
        "межведомственного взаимодействия уполномоченных органов."
    )
    assert plain_enough(plain_ru, Language.RU)
    assert not plain_enough(heavy_ru, Language.RU)
    long_kk = " ".join(["сөз"] * (MAX_KAZAKH_SENTENCE_WORDS + 1)) + "."
    assert not plain_enough(long_kk, Language.KK)


def test_every_interface_string_is_plain() -> None:
    catalogs = Catalogs.load()
    for language in LANGUAGES:
        for key, text in catalogs.texts[language].items():
            if key.startswith("source."):  # titles of documents, not sentences
                continue
            measured = measure(text, language)
            if language is Language.KK or measured.words >= MIN_WORDS_FOR_A_SCORE:
                assert plain_enough(text, language), (language.value, key, flesch(text, language))
            assert measured.longest_sentence <= 20, (language.value, key)
