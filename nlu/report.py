"""The evaluation report as text lines, for `komek nlu eval` and the benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _figure(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _safety_line(scores: dict[str, Any]) -> str:
    return (
        f"emergency recall {_figure(scores['emergency_recall'])} ({scores['emergency_rows']})  "
        f"not-safe read as safe {scores['not_safe_read_as_safe']} "
        f"(of them emergency_help {scores['emergency_read_as_safe']})  "
        f"'I'm safe' recall {_figure(scores['safe_recall'])} ({scores['safe_rows']})"
    )


def report_lines(report: dict[str, Any], *, errors: bool = False) -> Iterator[str]:
    """Per language, then all rows; intents' F1; reliability bins; confusions; misread rows."""
    for code, scores in report["languages"].items():
        calibration = scores["calibration"]
        yield (
            f"{code}: accuracy {scores['accuracy']:.3f}  macro-F1 {scores['macro_f1']:.3f}  "
            f"ECE {calibration['ece']:.3f} (model alone {calibration['model_accuracy']:.3f} "
            f"right)  language id {scores['language_id_accuracy']:.3f}  ({scores['rows']} rows)"
        )
        yield f"    {_safety_line(scores)}"
    yield (
        f"all: accuracy {_figure(report['accuracy'])}  macro-F1 {_figure(report['macro_f1'])}  "
        f"({report['rows']} rows)"
    )
    if "rows_in_training" in report:
        yield (
            f"    rows equal to a training example: {report['rows_in_training']}; "
            f"accuracy on the others {_figure(report['accuracy_unseen'])}"
        )
    yield f"    {_safety_line(report)}"
    yield f"    emergency pattern layer alone: recall {_figure(report['emergency_pattern_recall'])}"
    alarms = report["emergency_pattern_false_positives"]
    yield f"    emergency pattern false alarms: {alarms['count']} (rate {alarms['rate']})"
    for line in report["read_as_safe"]:
        yield f"    READ AS SAFE: {line}"
    for line in report["emergency_missed"]:
        yield f"    MISSED EMERGENCY: {line}"
    yield "reliability (confidence bin: messages, mean confidence → observed accuracy):"
    for code, scores in report["languages"].items():
        bins = "  ".join(
            f"{b['lower']:.1f}–{b['upper']:.1f}: {b['count']}, "
            f"{b['confidence']:.2f}→{b['accuracy']:.2f}"
            for b in scores["calibration"]["bins"]
        )
        yield f"  {code}: {bins}"
    yield "F1 per intent:"
    for intent, f1 in report["intents"].items():
        yield f"  {intent:26} {f1:.3f}"
    yield "confusions (gold → predicted: count):"
    for pair in report["confused"]:
        yield f"  {pair['gold']} → {pair['predicted']}: {pair['count']}"
    if errors:
        yield "misread messages:"
        for row in report["errors"]:
            yield (
                f"  {row['id']} [{row['lang']}] {row['gold']} → {row['predicted']} "
                f"({row['confidence']:.2f}): {row['text']}"
            )
