"""`komek nlu predict` and `komek nlu eval`, run as a person or an evaluation script would."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

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


def test_predict_writes_json_lines(tmp_path: Path, models_dir: Path) -> None:
    out = run(
        ["nlu", "predict"], tmp_path, models_dir, "пожар в подъезде\nhow do i get a social taxi\n"
    )
    first, second = (json.loads(line) for line in out.splitlines())
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


def test_predict_makes_the_dialogues_safety_decision(tmp_path: Path, models_dir: Path) -> None:
    messages = "я не в безопасности\nI am safe\nқауіпсіз сияқтымыз\nok\nзастряли в лифте\n"
    plain = [
        json.loads(line)
        for line in run(["nlu", "predict"], tmp_path, models_dir, messages).splitlines()
    ]
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


def test_eval_reports_scores_safety_and_calibration(tmp_path: Path, models_dir: Path) -> None:
    fresh = TEST_SET.parent / "fresh.tsv"
    files = [str(TEST_SET), str(fresh)]
    document = json.loads(run(["nlu", "eval", *files, "--json"], tmp_path, models_dir))
    assert document["model"] in {"tfidf", "tfidf+embedding"}
    assert list(document["files"]) == [*files, "all files"]
    report = document["files"][str(TEST_SET)]
    assert set(report["languages"]) == {"kk", "ru", "en"}
    assert report["emergency_recall"] == 1.0
    assert report["emergency_read_as_safe"] == 0
    for scores in report["languages"].values():
        assert 0.0 <= scores["calibration"]["ece"] <= 1.0
        assert {"not_safe_read_as_safe", "safe_recall", "macro_f1"} <= set(scores)
    combined = document["files"]["all files"]
    assert combined["rows"] == report["rows"] + document["files"][str(fresh)]["rows"]
    text = run(["nlu", "eval", str(TEST_SET)], tmp_path, models_dir)
    assert "emergency recall 1.000" in text
    assert "not-safe read as safe" in text and "ECE" in text
    assert "confusions (gold → predicted: count):" in text


def test_eval_names_a_bad_file(tmp_path: Path, models_dir: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tlang\tintent\tservice\ttext\nx-1\tde\tgreet\t\thallo\n", encoding="utf-8")
    env = {**os.environ, "KOMEK_DATA_DIR": str(tmp_path), "KOMEK_LOG_LEVEL": "WARNING"}
    if not (tmp_path / "models").exists():
        (tmp_path / "models").symlink_to(models_dir)
    done = subprocess.run(
        [komek(), "nlu", "eval", str(bad)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 2
    assert f"{bad}:2: lang must be kk, ru or en" in done.stderr
