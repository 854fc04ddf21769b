"""The training data loads, covers every intent in every language, and never holds test rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.profile import LANGUAGES
from nlu.evaluation import read_tsv
from nlu.text import fold
from nlu.training_data import TrainingDataError, load_directory, load_file, parse_example
from tests.nlu.conftest import TEST_SET

CONTRACT = {
    "benefits_info",
    "disability_assessment",
    "sign_interpreter_info",
    "personal_assistant_info",
    "social_taxi_info",
    "sanatorium_info",
    "rehab_aids_info",
    "employment_info",
    "book_service",
    "cancel_booking",
    "my_bookings",
    "alerts_subscribe",
    "alerts_unsubscribe",
    "emergency_help",
    "report_safe",
    "greet",
    "goodbye",
    "thanks",
    "help",
    "human_operator",
    "repeat",
    "slower",
    "faster",
    "change_language",
    "affirm",
    "deny",
    "out_of_scope",
}


def test_every_intent_has_20_examples_per_language() -> None:
    data = load_directory()
    assert set(data.intents()) >= CONTRACT
    counts = Counter((e.intent, e.language) for e in data.examples)
    for intent in data.intents():
        for language in LANGUAGES:
            assert counts[intent, language] >= 20, (intent, language.value)


def test_no_test_sentence_is_in_the_training_data() -> None:
    training = {fold(example.text) for example in load_directory().examples}
    for test_file in sorted(TEST_SET.parent.glob("*.tsv")):
        overlap = [row.text for row in read_tsv(test_file) if fold(row.text) in training]
        assert overlap == [], test_file.name


def test_test_set_has_10_rows_per_intent_and_language() -> None:
    counts = Counter((row.intent, row.language) for row in read_tsv(TEST_SET))
    for intent in load_directory().intents():
        for language in LANGUAGES:
            assert counts[intent, language] >= 10, (intent, language.value)


def test_annotations_become_entity_spans() -> None:
    text, spans = parse_example("need a [sign interpreter](service) on [monday](datetime)")
    assert text == "need a sign interpreter on monday"
    assert [(s.entity, text[s.start : s.end]) for s in spans] == [
        ("service", "sign interpreter"),
        ("datetime", "monday"),
    ]
    text, spans = parse_example('[соцтакси]{"entity": "service", "value": "social_taxi"} керек')
    assert (text, spans[0].value) == ("соцтакси керек", "social_taxi")


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (
            "version: '3.1'\nnlu:\n- intent: greet\n  metadata: {lang: de}\n"
            "  examples: |\n    - hi\n",
            3,
            "metadata.lang",
        ),
        (
            "version: '3.1'\nnlu:\n- intent: greet\n  metadata: {lang: en}\n  examples: |\n"
            "    - hi\n    hello\n",
            7,
            "must start with '- '",
        ),
        (
            "version: '3.1'\nnlu:\n- intent: greet\n  metadata: {lang: en}\n  examples: |\n"
            "    - hi\n    - [hello](greeting\n",
            7,
            "not closed",
        ),
        ("version: '3.1'\nnlu:\n- intent: greet\n  examples: [\n", 5, ""),
        ("version: '3.1'\nnlu:\n- intent: greet\n  metadata: {lang: en}\n", 3, "needs `examples`"),
    ],
)
def test_loader_errors_name_file_line_and_problem(
    tmp_path: Path, content: str, line: int, problem: str
) -> None:
    path = tmp_path / "broken.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError) as caught:
        load_file(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert problem in caught.value.problem
