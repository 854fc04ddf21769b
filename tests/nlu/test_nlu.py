"""Understanding messages: intents per language, emergencies, language identification."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.profile import Language
from nlu.evaluation import evaluate, read_tsv
from nlu.pipeline import EMERGENCY, NLU, load_or_train
from tests.nlu.conftest import TEST_SET, write_small_data

KK, RU, EN = Language.KK, Language.RU, Language.EN


@pytest.mark.parametrize(
    ("text", "language", "intent"),
    [
        (
            "how many hours of sign language interpreting do i get a year",
            EN,
            "sign_interpreter_info",
        ),
        ("can the social taxi take me to the court", EN, "social_taxi_info"),
        ("i want to stop getting the alerts", EN, "alerts_unsubscribe"),
        ("сколько часов сурдопереводчика положено в год", RU, "sign_interpreter_info"),
        ("как переосвидетельствоваться на группу инвалидности", RU, "disability_assessment"),
        ("соедините меня с оператором", RU, "human_operator"),
        ("әлеуметтік такси қайда апарады", KK, "social_taxi_info"),
        ("рахмет сізге", KK, "thanks"),
        ("санаторийге жолдама қалай алуға болады", KK, "sanatorium_info"),
    ],
)
def test_intents(nlu: NLU, text: str, language: Language, intent: str) -> None:
    parse = nlu.parse(text, language)
    assert (parse.intent, parse.language) == (intent, language)


@pytest.mark.parametrize(
    "text",
    [
        "fire",
        "there is smoke in the corridor",
        "пожар",
        "землетрясение помогите",
        "өрт",
        "су басып жатыр",
        "кто-то ломится в дверь",
        "i cant breathe",
        "орт шыкты",
    ],
)
def test_danger_is_never_missed(nlu: NLU, text: str) -> None:
    parse = nlu.parse(text, Language.KK)
    assert parse.intent == EMERGENCY
    assert parse.danger is not None


def test_signing_up_for_earthquake_warnings_is_not_an_emergency(nlu: NLU) -> None:
    parse = nlu.parse("please send me warnings about earthquakes", EN)
    assert parse.danger is None


@pytest.mark.parametrize(
    ("text", "profile", "language"),
    [
        ("рахмет", RU, KK),
        ("спасибо", KK, RU),
        ("thanks", KK, EN),
        ("1", RU, RU),
        ("ок", KK, KK),
        # Calls said alike in Kazakh and Russian keep the language the person was using.
        ("ау", RU, RU),
        ("ау", KK, KK),
        ("алло?", RU, RU),
        ("эй", KK, KK),
        ("ну ау", RU, RU),
    ],
)
def test_short_messages_and_the_profile_language(
    nlu: NLU, text: str, profile: Language, language: Language
) -> None:
    assert nlu.parse(text, profile).language == language


def test_entities(nlu: NLU) -> None:
    parse = nlu.parse("нужен сурдопереводчик, у меня 1 группа, тел +7 701 123 4567", RU)
    assert parse.entity("service") == "sign_interpreter"
    assert parse.entity("group") == "1"
    assert parse.entity("phone") == "+77011234567"


def test_models_are_cached_by_the_data_fingerprint(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    write_small_data(data)  # a few intents: the full data is trained once per session
    first = load_or_train(cache, data)
    cached = list(cache.glob("nlu-*.pickle"))
    assert len(cached) == 1 and first.fingerprint in cached[0].name
    assert load_or_train(cache, data).fingerprint == first.fingerprint
    assert list(cache.glob("nlu-*.pickle")) == cached


@pytest.mark.parametrize("test_file", sorted(TEST_SET.parent.glob("*.tsv")), ids=lambda p: p.name)
def test_held_out_sets(nlu: NLU, test_file: Path) -> None:
    """Accuracy at least 0.95 in each language; no emergency missed, by the patterns alone too."""
    report = evaluate(nlu, read_tsv(test_file))
    assert report["emergency_recall"] == 1.0
    assert report["emergency_pattern_recall"] == 1.0
    languages = report["languages"]
    assert isinstance(languages, dict)
    assert set(languages) == {"kk", "ru", "en"}
    for scores in languages.values():
        assert scores["accuracy"] >= 0.95
        assert scores["language_id_accuracy"] >= 0.98
