"""NLU accuracy, latency and memory: TF-IDF alone and the ensemble, in one process.

    .venv/bin/python bench/nlu.py [--cache DIR] [--heldout]

Trains (in a child process, unless DIR already holds the cached model for the current data)
the ensemble, loads it, and parses every message of each held-out set one at a time as the bot
does: first with TF-IDF alone, then with the sentence embedder attached. Prints JSON: accuracy,
emergency recall, not-safe read as safe and ECE per set and mode; p50/p95/p99 latency of
`NLU.parse` per mode and their ratio; resident memory before and after loading (the embedder's
share apart); and a calibration figure, the time of a fixed pure-Python loop, so figures from
a busy or a quiet machine can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# This file is named as the issue asks, which shadows the `nlu` package when run as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from core.logging import configure_logging  # noqa: E402
from nlu.embedding import load_embedder  # noqa: E402
from nlu.evaluation import Row, read_tsv, report  # noqa: E402
from nlu.pipeline import NLU, Parse, load_or_train  # noqa: E402
from nlu.text import fold  # noqa: E402
from nlu.training_data import load_directory  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "nlu" / "data"
SETS = [DATA / "test" / "test.tsv", DATA / "test" / "fresh.tsv"]
BLIND = DATA / "heldout" / "third.tsv"
"""Scored only with --heldout: for the final figures, never while changing the model or data."""


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def calibration_ms() -> float:
    """A fixed pure-Python loop: its time tells how fast this machine was during the run."""
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return round((time.perf_counter() - started) * 1000, 1)


def percentile(ordered: list[float], share: float) -> float:
    return round(ordered[int(share * (len(ordered) - 1))], 2)


def summary(predicted: list[tuple[Row, Parse]], training: set[str]) -> dict[str, object]:
    full = report(predicted, training)
    languages = full["languages"]
    assert isinstance(languages, dict)
    return {
        "rows": full["rows"],
        "accuracy": full["accuracy"],
        "accuracy_unseen": full["accuracy_unseen"],
        "rows_in_training": full["rows_in_training"],
        "per_language": {
            code: {
                "accuracy": s["accuracy"],
                "macro_f1": s["macro_f1"],
                "ece": s["calibration"]["ece"],
                "model_accuracy": s["calibration"]["model_accuracy"],
                "reliability": [
                    f"{b['lower']:.1f}-{b['upper']:.1f}: {b['count']} "
                    f"conf {b['confidence']:.2f} acc {b['accuracy']:.2f}"
                    for b in s["calibration"]["bins"]
                ],
            }
            for code, s in languages.items()
        },
        "emergency_recall": full["emergency_recall"],
        "not_safe_read_as_safe": full["not_safe_read_as_safe"],
        "emergency_read_as_safe": full["emergency_read_as_safe"],
        "safe_recall": full["safe_recall"],
    }


def run_mode(nlu: NLU, sets: dict[str, list[Row]], training: set[str]) -> dict[str, object]:
    for rows in sets.values():  # warm-up: first calls build caches in the libraries
        for row in rows[:20]:
            nlu.parse(row.text, row.language)
    timings: list[float] = []
    scores: dict[str, object] = {}
    everything: list[tuple[Row, Parse]] = []
    for name, rows in sets.items():
        predicted = []
        for row in rows:
            started = time.perf_counter()
            parse = nlu.parse(row.text, row.language)
            timings.append((time.perf_counter() - started) * 1000)
            predicted.append((row, parse))
        scores[name] = summary(predicted, training)
        everything += predicted
    scores["all sets"] = summary(everything, training)
    ordered = sorted(timings)
    return {
        "sets": scores,
        "messages": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> None:
    configure_logging("WARNING")
    if len(sys.argv) == 3 and sys.argv[1] == "--train-into":
        load_or_train(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, help="model cache folder to reuse (or fill)")
    parser.add_argument("--heldout", action="store_true", help="score the blind set too")
    options = parser.parse_args()
    cache = options.cache or Path(tempfile.mkdtemp(prefix="komek-nlu-bench-"))
    calibration_before = calibration_ms()
    started = time.perf_counter()
    # Trained in another process, so this one's memory shows only what loading takes.
    subprocess.run([sys.executable, __file__, "--train-into", str(cache)], check=True)
    training_s = time.perf_counter() - started
    paths = [*SETS, BLIND] if options.heldout else SETS
    sets = {path.name: read_tsv(path) for path in paths if path.exists()}
    training = {fold(example.text) for example in load_directory().examples}
    before = rss_mib()
    started = time.perf_counter()
    embedder = load_embedder()
    embedder_load_s = time.perf_counter() - started
    with_embedder = rss_mib()
    started = time.perf_counter()
    models = load_or_train(cache, embedder=embedder)
    load_s = time.perf_counter() - started
    after = rss_mib()
    nlu = NLU(models)
    models.intents.attach(None)
    tfidf = run_mode(nlu, sets, training)
    models.intents.attach(embedder)
    ensemble = run_mode(nlu, sets, training) if models.intents.kind != "tfidf" else None
    after_use = rss_mib()
    model = next(cache.glob("nlu-*.pickle"))
    figures: dict[str, object] = {
        "calibration_loop_ms": [calibration_before, calibration_ms()],
        "load_average": os.getloadavg()[0],
        "model": models.intents.kind,
        "calibration": models.intents.calibration.to_json(),
        "tfidf": tfidf,
        "ensemble": ensemble,
        "model_file_mib": round(model.stat().st_size / 2**20, 2),
        "rss_before_load_mib": round(before, 1),
        "embedder_mib": round(with_embedder - before, 1),
        "models_mib": round(after - with_embedder, 1),
        "rss_after_load_mib": round(after, 1),
        "rss_after_parsing_mib": round(after_use, 1),
        "training_s": round(training_s, 1),
        "embedder_load_s": round(embedder_load_s, 2),
        "cached_load_s": round(load_s, 2),
    }
    if ensemble is not None:
        for key in ("p50_ms", "p95_ms"):
            tfidf_ms, ensemble_ms = tfidf[key], ensemble[key]
            assert isinstance(tfidf_ms, float) and isinstance(ensemble_ms, float)
            figures[f"ensemble_over_tfidf_{key[:3]}"] = round(ensemble_ms / tfidf_ms, 1)
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
