"""The evaluation report: the safety counts, calibration per language and the confusion list."""

from __future__ import annotations

from core.profile import Language
from nlu.evaluation import Row, report
from nlu.pipeline import Parse


def row(number: int, language: Language, gold: str, text: str) -> Row:
    return Row(f"r-{number}", language, gold, "", text)


def test_safety_counts_calibration_and_confusions() -> None:
    ru, en = Language.RU, Language.EN
    predicted = [
        (row(1, ru, "emergency_help", "я не в безопасности"), Parse("", ru, "report_safe", 0.9)),
        (row(2, ru, "emergency_help", "застряла в лифте"), Parse("", ru, "emergency_help", 1.0)),
        (row(3, ru, "report_safe", "я в безопасности"), Parse("", ru, "report_safe", 0.8)),
        (row(4, en, "deny", "no"), Parse("", en, "report_safe", 0.6)),
        (row(5, en, "report_safe", "i'm safe"), Parse("", en, "report_safe", 0.7)),
        (row(6, en, "report_safe", "we are fine"), Parse("", en, "thanks", 0.4)),
        (row(7, en, "thanks", "thanks"), Parse("", en, "thanks", 0.95)),
    ]
    result = report(predicted)
    assert result["rows"] == 7
    assert result["emergency_recall"] == 0.5
    assert result["emergency_read_as_safe"] == 1
    assert result["not_safe_read_as_safe"] == 2
    assert result["safe_recall"] == round(2 / 3, 4)
    assert result["read_as_safe"] == [
        "r-1 (emergency_help): я не в безопасности",
        "r-4 (deny): no",
    ]
    languages = result["languages"]
    assert isinstance(languages, dict)
    assert set(languages) == {"ru", "en"}
    russian, english = languages["ru"], languages["en"]
    assert (russian["accuracy"], russian["not_safe_read_as_safe"]) == (round(2 / 3, 4), 1)
    assert (english["safe_recall"], english["emergency_recall"]) == (0.5, None)
    # ru: confidences 0.9 (wrong), 1.0 (right), 0.8 (right): bins 0.7–0.8, 0.8–0.9, 0.9–1.0.
    calibration = russian["calibration"]
    assert [b["count"] for b in calibration["bins"]] == [1, 1, 1]
    assert calibration["ece"] == round((0.2 + 0.9 + 0.0) / 3, 4)
    assert result["confused"] == [
        {"gold": "emergency_help", "predicted": "report_safe", "count": 1},
        {"gold": "deny", "predicted": "report_safe", "count": 1},
        {"gold": "report_safe", "predicted": "thanks", "count": 1},
    ]
    errors = result["errors"]
    assert isinstance(errors, list) and len(errors) == 3
    assert errors[0] == {
        "id": "r-1",
        "lang": "ru",
        "gold": "emergency_help",
        "predicted": "report_safe",
        "confidence": 0.9,
        "text": "я не в безопасности",
    }
