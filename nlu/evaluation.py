"""Evaluation on a held-out TSV (`id lang intent service text`): accuracy, safety, calibration.

Besides accuracy and macro-F1 per language, the report counts the mistakes that cost most:
a person who is not safe read as safe (gold `emergency_help`, or any gold other than
`report_safe`, predicted `report_safe`), a missed emergency, and a plain "I'm safe" not
recognised; and how well the stated confidence matches the observed accuracy (ECE and the
reliability bins per language).

Which dialogue a row is read in: by default, with no warning waiting for an answer, because a
held-out set holds messages of every kind (questions, bookings, a "yes" to the bot's own
question) and says nothing of what came before each one. With `answering_warning`, every row is
read as the answer to a warning, as the dialogue reads a message while one waits: a yes or a no
in any words is then `safety_unclear` (the person is asked), so a `deny` row counts as wrong and
an emergency written as a bare "no" is still a missed emergency, never a hit.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from core.profile import LANGUAGES, Language
from nlu.calibration import expected_calibration_error, reliability
from nlu.pipeline import EMERGENCY, NLU, Parse
from nlu.text import fold

COLUMNS = ["id", "lang", "intent", "service", "text"]
SAFE = "report_safe"
BINS = 10


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled message of a test set (a row of a .tsv file)."""

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
            try:
                language = Language(fields[1])
            except ValueError:
                raise ValueError(f"{path}:{number}: lang must be kk, ru or en") from None
            rows.append(Row(fields[0], language, fields[2], fields[3], fields[4]))
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


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


Predicted = list[tuple[Row, Parse]]


def _safety(predicted: Predicted) -> dict[str, object]:
    """The safety-critical counts: not-safe read as safe, missed emergencies, safe recognised."""
    emergencies = [(r, p) for r, p in predicted if r.intent == EMERGENCY]
    safe = [(r, p) for r, p in predicted if r.intent == SAFE]
    read_safe = [(r, p) for r, p in predicted if r.intent != SAFE and p.intent == SAFE]
    return {
        "emergency_recall": _share(
            sum(p.intent == EMERGENCY for _, p in emergencies), len(emergencies)
        ),
        "emergency_rows": len(emergencies),
        "emergency_read_as_safe": sum(1 for r, _ in read_safe if r.intent == EMERGENCY),
        "not_safe_read_as_safe": len(read_safe),
        "safe_recall": _share(sum(p.intent == SAFE for _, p in safe), len(safe)),
        "safe_rows": len(safe),
    }


def _calibration(predicted: Predicted) -> dict[str, object]:
    """Confidence against accuracy for the model's own best intent (before the safety and
    emergency rules, which answer with certainty by design), and the ECE of the final decision.
    """
    model = [(r, p.ranking[0] if p.ranking else None) for r, p in predicted]
    confidences = [
        best.confidence if best else p.confidence
        for (_, best), (_, p) in zip(model, predicted, strict=True)
    ]
    correct = [
        best.intent == r.intent if best else r.intent == p.intent
        for (r, best), (_, p) in zip(model, predicted, strict=True)
    ]
    decided = [p.confidence for _, p in predicted]
    decided_right = [r.intent == p.intent for r, p in predicted]
    return {
        "ece": round(expected_calibration_error(confidences, correct, BINS), 4),
        "mean_confidence": round(sum(confidences) / len(confidences), 4),
        "model_accuracy": round(sum(correct) / len(correct), 4),
        "decision_ece": round(expected_calibration_error(decided, decided_right, BINS), 4),
        "bins": [
            {
                key: round(value, 4) if isinstance(value, float) else value
                for key, value in asdict(b).items()
            }
            for b in reliability(confidences, correct, BINS)
        ],
    }


def _language(predicted: Predicted) -> dict[str, object]:
    pairs = [(r.intent, p.intent) for r, p in predicted]
    macro, _ = _f1(pairs)
    return {
        "rows": len(pairs),
        "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4),
        "macro_f1": round(macro, 4),
        "language_id_accuracy": round(
            sum(p.language is r.language for r, p in predicted) / len(pairs), 4
        ),
        **_safety(predicted),
        "calibration": _calibration(predicted),
    }


def evaluate(
    nlu: NLU,
    rows: list[Row],
    training: set[str] | None = None,
    *,
    answering_warning: bool = False,
) -> dict[str, object]:
    """Scores per language and intent, safety counts, calibration, pattern layer, confusions.

    `training`: the training examples, folded; rows equal to one are counted and scored apart.
    `answering_warning`: read every row as the answer to a warning (see the module's note).
    """
    return report(
        [
            (row, nlu.parse(row.text, row.language, answering_warning=answering_warning))
            for row in rows
        ],
        training,
    )


def report(predicted: Predicted, training: set[str] | None = None) -> dict[str, object]:
    """The evaluation report for messages and what the NLU made of them."""
    result: dict[str, object] = {"rows": len(predicted)}
    if training is not None:
        unseen = [(r, p) for r, p in predicted if fold(r.text) not in training]
        result["rows_in_training"] = len(predicted) - len(unseen)
        result["accuracy_unseen"] = _share(
            sum(r.intent == p.intent for r, p in unseen), len(unseen)
        )
    result["languages"] = {
        language.value: _language(members)
        for language in LANGUAGES
        if (members := [(r, p) for r, p in predicted if r.language is language])
    }
    all_pairs = [(r.intent, p.intent) for r, p in predicted]
    macro, per_intent = _f1(all_pairs)
    result["accuracy"] = (
        round(sum(g == p for g, p in all_pairs) / len(all_pairs), 4) if all_pairs else None
    )
    result["macro_f1"] = round(macro, 4)
    result["intents"] = {label: round(score, 4) for label, score in sorted(per_intent.items())}
    result.update(_safety(predicted))
    result["calibration"] = _calibration(predicted) if predicted else None
    emergencies = [(r, p) for r, p in predicted if r.intent == EMERGENCY]
    result["emergency_pattern_recall"] = _share(
        sum(p.danger is not None for _, p in emergencies), len(emergencies)
    )
    others = [(r, p) for r, p in predicted if r.intent != EMERGENCY]
    false_alarms = [r for r, p in others if p.danger is not None]
    result["emergency_pattern_false_positives"] = {
        "count": len(false_alarms),
        "rate": round(len(false_alarms) / len(others), 4) if others else 0.0,
        "examples": [f"{r.intent}: {r.text}" for r in false_alarms[:10]],
    }
    result["emergency_missed"] = [
        f"{r.id}: {r.text}" for r, p in emergencies if p.intent != EMERGENCY
    ]
    result["read_as_safe"] = [
        f"{r.id} ({r.intent}): {r.text}"
        for r, p in predicted
        if r.intent != SAFE and p.intent == SAFE
    ]
    confusions = Counter((g, p) for g, p in all_pairs if g != p)
    result["confused"] = [
        {"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common()
    ]
    result["errors"] = [
        {
            "id": r.id,
            "lang": r.language.value,
            "gold": r.intent,
            "predicted": p.intent,
            "confidence": round(p.confidence, 4),
            "text": r.text,
        }
        for r, p in predicted
        if r.intent != p.intent
    ]
    return result
