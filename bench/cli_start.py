"""CPU time of starting `komek`: the help page and a CAP check, each in a fresh process.

    .venv/bin/python bench/cli_start.py [--runs 5]

Each run starts the command as a person would (`python -m cli.main …`, the same code as the
`komek` script) and reads the child's CPU time (user + system) from `getrusage(RUSAGE_CHILDREN)`.
CPU time, not wall time: on a shared machine the wall clock measures the neighbours. Prints JSON
with the median and the highest run per command, the budget (issue 19: `komek --help` ≤ 1.5 s,
`komek alerts cap-check` ≤ 2 s, on the shared test data's OASIS thunderstorm alert), the heavy
libraries each command imported, and the calibration loop's CPU seconds. `--tree DIR` measures
another checkout (say, the commit before a change) with the same script.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.calibration import calibration_seconds

ROOT = Path(__file__).resolve().parents[1]
CAP = ROOT.parent / "shared/testdata/cap/valid/02-oasis-thunderstorm.xml"
HEAVY = ("aiogram", "sklearn", "taskiq", "fastapi", "sqlalchemy", "av", "redis", "aiohttp")
BUDGETS = {"--help": 1.5, "alerts cap-check": 2.0}

# Runs the command, then prints which heavy libraries it had imported (on stderr, last line).
_PROBE = """
import atexit, sys
heavy = {heavy!r}
atexit.register(lambda: print("imported:" + ",".join(h for h in heavy if h in sys.modules),
                              file=sys.stderr))
sys.argv = ["komek", *{args!r}]
from cli.main import app
app()
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(tree: Path, args: list[str]) -> tuple[float, list[str]]:
    """CPU seconds of one `komek ARGS` process, and the heavy libraries it imported."""
    env = {**os.environ, "PYTHONPATH": str(tree), "KOMEK_LOG_LEVEL": "WARNING"}
    before = _children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY, args=args)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    spent = _children_cpu() - before
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    if not last.startswith("imported:"):
        raise SystemExit(f"komek {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    imported = [name for name in last.removeprefix("imported:").split(",") if name]
    return spent, imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cap", type=Path, default=CAP, help="The CAP document to check.")
    parser.add_argument("--tree", type=Path, default=ROOT, help="The checkout to start.")
    options = parser.parse_args()
    if not options.cap.is_file():
        raise SystemExit(f"{options.cap} is missing: pass --cap with a CAP 1.2 document")
    commands = {"--help": ["--help"], "alerts cap-check": ["alerts", "cap-check", str(options.cap)]}
    report: dict[str, object] = {"calibration_cpu_s": calibration_seconds(), "runs": options.runs}
    for name, args in commands.items():
        seconds: list[float] = []
        imported: list[str] = []
        for _ in range(options.runs):
            spent, imported = run_once(options.tree, args)
            seconds.append(spent)
        report[name] = {
            "cpu_s_median": round(statistics.median(seconds), 3),
            "cpu_s_max": round(max(seconds), 3),
            "budget_s": BUDGETS[name],
            "heavy_imports": imported,
            "all_runs": [round(s, 3) for s in seconds],
        }
    report["calibration_cpu_s_after"] = calibration_seconds()
    report["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
