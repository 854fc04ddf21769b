"""Evaluation on a held-out TSV (`id lang intent service text`): accuracy, macro-F1, confusions."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core.profile import LANGUAGES, Language
from nlu.pipeline import EMERGENCY, NLU

COLUMNS = ["id", "lang", "intent", "service", "text"]


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    language: Language
    intent: str
    service: str
    text: str


def read_tsv(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != COLUMNS:
            raise ValueError(f"{path}:1: the header must be {' '.join(COLUMNS)}")
        rows = []
        for number, fields in enumerate(reader, start=2):
            if len(fields) != len(COLUMNS):
                raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} columns")
            rows.append(Row(fields[0], Language(fields[1]), fields[2], fields[3], fields[4]))
        return rows


def _f1(pairs: list[tuple[str, str]]) -> tuple[float, dict[str, float]]:
    labels = sorted({gold for gold, _ in pairs} | {pred for _, pred in pairs})
    per: dict[str, float] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    gold_labels = {gold for gold, _ in pairs}
    macro = sum(per[label] for label in gold_labels) / len(gold_labels) if gold_labels else 0.0
    return macro, per


def evaluate(nlu: NLU, rows: list[Row]) -> dict[str, object]:
    """Scores per language and intent, emergency recall, pattern false positives, confusions."""
    predicted = [(row, nlu.parse(row.text, row.language)) for row in rows]
    report: dict[str, object] = {"rows": len(rows)}
    languages: dict[str, object] = {}
    for language in LANGUAGES:
        pairs = [(r.intent, p.intent) for r, p in predicted if r.language is language]
        if not pairs:
            continue
        macro, _ = _f1(pairs)
        languages[language.value] = {
            "rows": len(pairs),
            "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4),
            "macro_f1": round(macro, 4),
            "language_id_accuracy": round(
                sum(p.language is r.language for r, p in predicted if r.language is language)
                / len(pairs),
                4,
            ),
        }
    report["languages"] = languages
    all_pairs = [(r.intent, p.intent) for r, p in predicted]
    macro, per_intent = _f1(all_pairs)
    report["accuracy"] = round(sum(g == p for g, p in all_pairs) / len(all_pairs), 4)
    report["macro_f1"] = round(macro, 4)
    report["intents"] = {label: round(score, 4) for label, score in sorted(per_intent.items())}
    emergencies = [(r, p) for r, p in predicted if r.intent == EMERGENCY]
    report["emergency_recall"] = (
        round(sum(p.intent == EMERGENCY for _, p in emergencies) / len(emergencies), 4)
        if emergencies
        else None
    )
    report["emergency_pattern_recall"] = (
        round(sum(p.danger is not None for _, p in emergencies) / len(emergencies), 4)
        if emergencies
        else None
    )
    others = [(r, p) for r, p in predicted if r.intent != EMERGENCY]
    false_alarms = [r for r, p in others if p.danger is not None]
    report["emergency_pattern_false_positives"] = {
        "count": len(false_alarms),
        "rate": round(len(false_alarms) / len(others), 4) if others else 0.0,
        "examples": [f"{r.intent}: {r.text}" for r in false_alarms[:10]],
    }
    missed = [f"{r.id}: {r.text}" for r, p in emergencies if p.intent != EMERGENCY]
    report["emergency_missed"] = missed
    confusions = Counter((g, p) for g, p in all_pairs if g != p)
    report["confused"] = [
        {"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common(10)
    ]
    return report
