"""`komek nlu predict` and `komek nlu eval`, run as a person or an evaluation script would."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.cli.test_chat import komek
from tests.nlu.conftest import TEST_SET


def run(args: list[str], tmp_path: Path, models_dir: Path, stdin: str = "") -> str:
    if not (tmp_path / "models").exists():
        (tmp_path / "models").symlink_to(models_dir)
    env = {**os.environ, "KOMEK_DATA_DIR": str(tmp_path), "KOMEK_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [komek(), *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


FIRST = ["пожар в подъезде", "how do i get a social taxi"]
SAFETY = ["я не в безопасности", "I am safe", "қауіпсіз сияқтымыз", "ok", "застряли в лифте"]


@pytest.fixture(scope="module")
def predicted(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> list[dict[str, Any]]:
    """`komek nlu predict` run once on the messages of the tests below, in this order (each
    start of the command loads the model: seconds of CPU)."""
    folder = tmp_path_factory.mktemp("predict")
    out = run(["nlu", "predict"], folder, models_dir, "\n".join([*FIRST, *SAFETY]) + "\n")
    return [json.loads(line) for line in out.splitlines()]


def test_predict_writes_json_lines(predicted: list[dict[str, Any]]) -> None:
    first, second = predicted[: len(FIRST)]
    assert [first["text"], second["text"]] == FIRST
    assert first["intent"] == "emergency_help" and first["lang"] == "ru"
    assert second["intent"] == "social_taxi_info"
    assert {"entity": "service", "value": "social_taxi"} in second["entities"]
    assert set(first) == {
        "text",
        "lang",
        "intent",
        "confidence",
        "entities",
        "safety",
        "danger",
        "why",
    }
    assert (first["safety"], first["danger"]) == ("help", "fire")


def test_predict_makes_the_dialogues_safety_decision(
    predicted: list[dict[str, Any]], tmp_path: Path, models_dir: Path
) -> None:
    plain = predicted[len(FIRST) :]
    assert [p["text"] for p in plain] == SAFETY
    assert [p["intent"] for p in plain] == [
        "emergency_help",
        "report_safe",
        "emergency_help",
        plain[3]["intent"],
        "emergency_help",
    ]
    assert plain[3]["safety"] is None  # "ok" alone, with no warning, says nothing of safety
    warned = run(["nlu", "predict", "--warning"], tmp_path, models_dir, "ok\n")
    assert json.loads(warned)["intent"] == "safety_unclear"


def part_of(test_file: Path, folder: Path) -> Path:
    """A part of a test set, its emergencies and every 20th row: the command's report is what
    is checked here; the scores on the whole sets are tests/nlu/test_nlu.py's."""
    header, *rows = test_file.read_text(encoding="utf-8").splitlines()
    chosen = [row for n, row in enumerate(rows) if "\temergency_help\t" in row or n % 20 == 0]
    part = folder / test_file.name
    part.write_text("\n".join([header, *chosen]) + "\n", encoding="utf-8")
    return part


def test_eval_reports_scores_safety_and_calibration(tmp_path: Path, models_dir: Path) -> None:
    folder = tmp_path / "sets"
    folder.mkdir()
    test_set, fresh = (part_of(path, folder) for path in (TEST_SET, TEST_SET.parent / "fresh.tsv"))
    files = [str(test_set), str(fresh)]
    document = json.loads(run(["nlu", "eval", *files, "--json"], tmp_path, models_dir))
    assert document["model"] in {"tfidf", "tfidf+embedding"}
    assert list(document["files"]) == [*files, "all files"]
    report = document["files"][str(test_set)]
    assert set(report["languages"]) == {"kk", "ru", "en"}
    assert report["emergency_rows"] > 0
    assert report["emergency_recall"] == 1.0
    assert report["emergency_read_as_safe"] == 0
    for scores in report["languages"].values():
        assert 0.0 <= scores["calibration"]["ece"] <= 1.0
        assert {"not_safe_read_as_safe", "safe_recall", "macro_f1"} <= set(scores)
    combined = document["files"]["all files"]
    assert combined["rows"] == report["rows"] + document["files"][str(fresh)]["rows"]
    text = run(["nlu", "eval", str(test_set)], tmp_path, models_dir)
    assert "emergency recall 1.000" in text
    assert "not-safe read as safe" in text and "ECE" in text
    assert "confusions (gold → predicted: count):" in text


def test_eval_names_a_bad_file_before_loading_the_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tlang\tintent\tservice\ttext\nx-1\tde\tgreet\t\thallo\n", encoding="utf-8")
    env = {"KOMEK_DATA_DIR": str(tmp_path), "KOMEK_LOG_LEVEL": "WARNING"}  # no model in it
    done = CliRunner().invoke(app, ["nlu", "eval", str(bad)], env=env)
    assert done.exit_code == 2
    assert f"{bad}:2: lang must be kk, ru or en" in done.stderr


def test_a_yes_or_no_to_a_warning_is_asked_about_and_scored_so(
    tmp_path: Path, models_dir: Path
) -> None:
    """With --warning, predict and eval read a message as the dialogue does while a warning
    waits: a "no" in any words is neither safe nor a hit for an emergency, it is asked about."""
    said = "no, absolutely not\nyes of course\n"
    plain = [
        json.loads(line)
        for line in run(["nlu", "predict"], tmp_path, models_dir, said).splitlines()
    ]
    assert [p["intent"] for p in plain] == ["deny", "affirm"]
    warned = run(["nlu", "predict", "--warning"], tmp_path, models_dir, said).splitlines()
    assert [json.loads(line)["intent"] for line in warned] == ["safety_unclear"] * 2
    rows = tmp_path / "answers.tsv"
    rows.write_text(
        "id\tlang\tintent\tservice\ttext\n"
        "a-1\ten\temergency_help\t\tno, absolutely not\n"
        "a-2\ten\treport_safe\t\twe are all fine at home\n",
        encoding="utf-8",
    )
    for flags in ([], ["--warning"]):
        document = json.loads(
            run(["nlu", "eval", str(rows), "--json", *flags], tmp_path, models_dir)
        )
        report = document["files"][str(rows)]
        assert report["emergency_recall"] == 0.0  # a bare "no" is never counted as a hit
        assert report["not_safe_read_as_safe"] == 0
        assert report["safe_recall"] == 1.0
    text = run(["nlu", "eval", str(rows), "--warning"], tmp_path, models_dir)
    assert "read as: answers to a warning" in text
