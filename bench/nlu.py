"""NLU latency, model size and memory: one message at a time, as the bot parses them.

    .venv/bin/python bench/nlu.py

Loads (training on first use) the cached model, then parses every held-out test message one by
one, several rounds, and prints JSON: p50/p95/p99 latency, the cached model's size on disk, and
the process memory the loaded model takes (resident set size before and after loading).
"""

from __future__ import annotations

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
from nlu.evaluation import read_tsv  # noqa: E402
from nlu.pipeline import NLU, load_or_train  # noqa: E402

TEST_SET = Path(__file__).resolve().parents[1] / "nlu" / "data" / "test" / "test.tsv"


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    configure_logging("WARNING")
    if len(sys.argv) == 3 and sys.argv[1] == "--train-into":
        load_or_train(Path(sys.argv[2]))
        return
    cache = Path(tempfile.mkdtemp(prefix="komek-nlu-bench-"))
    started = time.perf_counter()
    # Trained in another process, so this one's memory shows only what loading the model takes.
    subprocess.run([sys.executable, __file__, "--train-into", str(cache)], check=True)
    training_s = time.perf_counter() - started
    rows = read_tsv(TEST_SET)
    before = rss_mib()
    started = time.perf_counter()
    nlu = NLU(load_or_train(cache))
    load_s = time.perf_counter() - started
    after = rss_mib()
    for row in rows[:50]:  # warm-up: first calls build caches in the libraries
        nlu.parse(row.text, row.language)
    timings: list[float] = []
    for _ in range(3):
        for row in rows:
            started = time.perf_counter()
            nlu.parse(row.text, row.language)
            timings.append((time.perf_counter() - started) * 1000)
    ordered = sorted(timings)
    model = next(cache.glob("nlu-*.pickle"))
    print(
        json.dumps(
            {
                "messages": len(timings),
                "p50_ms": round(statistics.median(ordered), 2),
                "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
                "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 2),
                "max_ms": round(ordered[-1], 2),
                "model_file_mib": round(model.stat().st_size / 2**20, 2),
                "model_memory_mib": round(after - before, 1),
                "process_rss_mib": round(after, 1),
                "training_s": round(training_s, 1),
                "cached_load_s": round(load_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
