"""Hostile input against the console in-process: does a bad request ever hold the event loop?

    .venv/bin/python bench/hostile.py --cases 300 [--json]

The console's ASGI app runs on an event loop of its own (tests/hostile/running.py) with the
embedded alert system on SQLite. Generated requests (the strategies of tests/hostile: CAP
documents, the forms, registry files, and a 40 MB-cell XLSX bomb) go in one after another
while a health probe asks GET /healthz every 20 ms. Figures:

- `slowest_health_answer_s`: the slowest probe answer during the run (a stall shows here).
- `requests_per_s`: generated requests answered per second (with the stored-state check).
- `calibration_s`: a fixed pure-Python loop, to compare machines.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [path for path in sys.path if Path(path).resolve() != Path(__file__).parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from console.security import CSRF_FIELD  # noqa: E402
from tests.hostile import strategies as hs  # noqa: E402
from tests.hostile.running import hostile_console  # noqa: E402
from tests.regressions.workbooks import bomb  # noqa: E402


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (10 million additions)."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    assert total > 0
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300, help="requests of each kind")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    calibration_s = calibration()
    run = settings(
        max_examples=args.cases,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    with tempfile.TemporaryDirectory() as folder, hostile_console(Path(folder)) as world:
        started = time.perf_counter()
        answered = [0]

        @run
        @given(document=hs.cap_documents())
        def documents(document: bytes) -> None:
            headers = {"authorization": f"Bearer {world.token}", "content-type": "text/xml"}
            world.request("POST", "/api/cap", headers=headers, chunks=[document])
            answered[0] += 1

        def upload(name: str, content: bytes) -> None:
            body, kind = hs.multipart([(CSRF_FIELD, world.csrf)], [("file", name, content)])
            headers = world.signed_in({"content-type": kind, "accept": "text/html"})
            world.request("POST", "/admin/registry", headers=headers, chunks=[body])
            answered[0] += 1

        @run
        @given(upload_=hs.registry_files())
        def uploads(upload_: tuple[str, bytes]) -> None:
            upload(*upload_)

        @run
        @given(pairs=hs.fields)
        def forms(pairs: list[tuple[str, str]]) -> None:
            body, kind = hs.urlencoded([*pairs, (CSRF_FIELD, world.csrf)])
            headers = world.signed_in({"content-type": kind, "accept": "text/html"})
            world.request("POST", "/alerts/new", headers=headers, chunks=[body])
            answered[0] += 1

        documents()
        uploads()
        upload("bomb.xlsx", bomb(40))
        forms()
        took = time.perf_counter() - started
        figures = {
            "cases_each": args.cases,
            "requests": answered[0],
            "requests_per_s": round(answered[0] / took, 1),
            "slowest_health_answer_s": round(world.probe.slowest, 3),
            "slowest_during": world.probe.slowest_during,
            "stalls_over_1s": [(round(t, 3), what) for t, what in world.probe.stalls],
            "health_answers": world.probe.answers,
            "calibration_s": round(calibration_s, 3),
        }
    if args.json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        for name, value in figures.items():
            sys.stdout.write(f"{name}: {value}\n")


if __name__ == "__main__":
    main()
