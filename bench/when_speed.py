"""How fast dates and times are read from a message (nlu.when), short and pathological.

    .venv/bin/python bench/when_speed.py [--messages 2000]

Random messages from the words the tests use (tests/nlu/test_when.py) and random text, in the
three languages, then one long repetitive message (4,000 digits, 400 copies of "завтра в 10").
Prints JSON: CPU milliseconds per message (median, p99, highest), the long message's CPU
seconds, and the calibration loop's CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.calibration import calibration_seconds
from core.profile import Language
from nlu.when import parse_when
from tests.nlu.test_when import _VOCABULARY

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
LONG = "завтра в 10 " * 400 + "9" * 4000 + " ." * 2000


def messages(count: int) -> list[str]:
    """Half word salads from the tests' vocabulary, half random printable text."""
    rng = random.Random(19)
    words = _VOCABULARY.split()
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіabcdefghijklmnopqrstuvwxyz0123456789 .:/-"
    made = []
    for index in range(count):
        if index % 2:
            made.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))))
        else:
            made.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300))))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    count = parser.parse_args().messages
    languages = list(Language)
    spent = []
    for index, text in enumerate(messages(count)):
        started = time.process_time()
        parse_when(text, languages[index % len(languages)], NOW)
        spent.append((time.process_time() - started) * 1000)
    spent.sort()
    started = time.process_time()
    parse_when(LONG, Language.RU, NOW)
    long_seconds = time.process_time() - started
    report = {
        "calibration_cpu_s": calibration_seconds(),
        "messages": count,
        "cpu_ms_median": round(statistics.median(spent), 3),
        "cpu_ms_p99": round(spent[int(0.99 * (len(spent) - 1))], 3),
        "cpu_ms_max": round(spent[-1], 3),
        "long_message_cpu_s": round(long_seconds, 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
