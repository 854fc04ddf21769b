"""The safety rules alone, no trained model: emergency recall and false alarms per set.

    .venv/bin/python bench/safety_rules.py nlu/data/heldout/*.tsv nlu/data/test/*.tsv [--list]

Runs `nlu.safety.assess` (the emergency layer and the safety judgement, as the dialogue runs
them before any classifier) on every row of each TSV (`id lang intent service text`), with no
warning waiting. A row counts as found when the rules say "needs help"; an emergency row the
rules miss is left to the classifier, and a non-emergency row they call for help is a false
alarm. Prints, per file and language: emergencies found of all, false alarms of the other
rows; with --list, every miss and false alarm. Fast (no model), so it runs before and after
each rule change.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

# bench/nlu.py shadows the `nlu` package when a script here runs: take this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from nlu.evaluation import read_tsv  # noqa: E402
from nlu.pipeline import EMERGENCY  # noqa: E402
from nlu.safety import Safety, assess  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    for path in args.files:
        counts: Counter[tuple[str, str]] = Counter()
        for row in read_tsv(path):
            helped = assess(row.text).safety is Safety.NEEDS_HELP
            lang = row.language.value
            if row.intent == EMERGENCY:
                counts[lang, "emergencies"] += 1
                counts[lang, "found"] += helped
                if args.list and not helped:
                    print(f"miss  {path.stem} {lang} | {row.text}")
            else:
                counts[lang, "others"] += 1
                counts[lang, "false alarms"] += helped
                if args.list and helped:
                    print(f"alarm {path.stem} {lang} {row.intent} | {row.text}")
        for lang in sorted({lang for lang, _ in counts}):
            found, all_ = counts[lang, "found"], counts[lang, "emergencies"]
            alarms, others = counts[lang, "false alarms"], counts[lang, "others"]
            print(
                f"{path.stem:10} {lang}  emergencies {found}/{all_}  false alarms {alarms}/{others}"
            )
            for key in ("found", "emergencies", "false alarms", "others"):
                total[key] += counts[lang, key]
    print(
        f"all files     emergencies {total['found']}/{total['emergencies']}"
        f"  false alarms {total['false alarms']}/{total['others']}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
