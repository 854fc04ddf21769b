"""A region named in a sentence, as people answer "where do you live?" in the bot: the whole
message, a few words in it, or a city's name with a Russian or Kazakh case ending."""

from __future__ import annotations

import pytest

from alerts.registry.regions import by_name, named_in


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("Шымкент", "79"),
        ("I live in Almaty", "75"),
        ("я живу в Шымкенте", "79"),
        ("Шымкентте тұрамын", "79"),
        ("в Астане", "71"),
        ("Астанада", "71"),
        ("в Караганде", "35"),
        ("Қарағандыда", "35"),
        ("в Павлодаре", "55"),
    ],
)
def test_a_region_is_found_in_what_people_say(said: str, code: str) -> None:
    found = named_in(said)
    assert found is not None and found.code == code, said


@pytest.mark.parametrize("said", ["hello there", "в доме", "да", "Абаем"])
def test_words_that_name_no_region_find_none(said: str) -> None:
    assert named_in(said) is None


def test_the_importer_still_reads_names_exactly() -> None:
    """Case endings are for the chat only: a file's region column must name it as it is."""
    assert by_name("Шымкенте") is None and by_name("Шымкент") is not None
