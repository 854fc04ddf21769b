"""Service names read with a letter or two wrong, in kk, ru and en (issue 20, finding 7); short
words and everyday words that are one slip from a service word are not taken for one."""

from __future__ import annotations

import pytest

from core.profile import Language
from nlu.entities import EntityExtractor
from nlu.spelling import PhraseFinder, near
from nlu.training_data import load_directory


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(load_directory().synonyms)


def service(extractor: EntityExtractor, text: str, language: Language) -> str | None:
    found = [e.value for e in extractor.extract(text, language) if e.entity == "service"]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("book a sign langage intepreter", Language.EN, "sign_interpreter"),
        ("how meny houres of intrepreter do i get", Language.EN, "sign_interpreter"),
        ("book a personal asistant", Language.EN, "personal_assistant"),
        ("хочу заказать сурдопереводчка", Language.RU, "sign_interpreter"),
        ("хочу заказать асистента", Language.RU, "personal_assistant"),
        ("заказать социалное такси", Language.RU, "social_taxi"),
        ("сурдоадармашыға жазып беріңізші", Language.KK, "sign_interpreter"),
        ("санаторияға жолдама", Language.KK, "sanatorium"),
    ],
)
def test_a_mistyped_service_name_is_read(
    extractor: EntityExtractor, text: str, language: Language, expected: str
) -> None:
    assert service(extractor, text, language) == expected


@pytest.mark.parametrize(
    "text",
    ["I got a message from my mother", "sing a song for me", "what is the tax rate", "hello"],
)
def test_words_one_slip_from_a_service_word_are_not_a_service(
    extractor: EntityExtractor, text: str
) -> None:
    assert service(extractor, text, Language.EN) is None


def test_short_words_must_be_exact() -> None:
    assert near("taxi", "taxi")
    assert not near("tax", "taxi")
    assert not near("sing", "sign")
    assert near("intepreter", "interpreter")
    assert near("сурдопереводчка", "сурдопереводчика")
    assert not near("interpreting", "interpreter")


def test_the_earliest_phrase_given_wins() -> None:
    finder = PhraseFinder([("sign language interpreter", "long"), ("interpreter", "short")])
    assert finder.find("i need a sign langauge intepreter") == ("sign language interpreter", "long")
    assert finder.find("an intepreter please") == ("interpreter", "short")
    assert finder.find("nothing here") is None
