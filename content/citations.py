"""Whether a citation such as "¶303", "Q7 (answer 4)" or "¶11 (line 21)" exists in its seed."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_REF = re.compile(r"(¶|Q)(\d+)(?:\s*\(line (\d+)\))?")


@cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def citation_problems(seed: Path, ref: str) -> list[str]:
    """What is wrong with a reference into a seed document; empty when it is really there.

    Numbered documents (000, 001, 003) have numbered paragraphs ("303. ...") and questions
    (a line holding only "7."); documents without numbers (002, 004) are cited as the N-th
    non-empty line together with its line number, "¶11 (line 21)".
    """
    text = _text(seed)
    name = seed.name
    problems = []
    non_empty = [i + 1 for i, line in enumerate(text.splitlines()) if re.search(r"\w", line)]
    for kind, number, line in _REF.findall(ref):
        n = int(number)
        if kind == "Q":
            if not re.search(rf"^\t{n}\.\s*$", text, re.MULTILINE):
                problems.append(f"{name} has no question {n}")
        elif line:
            if n > len(non_empty) or non_empty[n - 1] != int(line):
                problems.append(f"{name}: ¶{n} is not line {line}")
        elif not re.search(rf"^(?:\[bookmark:[^\]]*\])?\s*{n}\.\s", text, re.MULTILINE):
            problems.append(f"{name} has no paragraph {n}")
    if not _REF.search(ref):
        problems.append(f"{name}: reference {ref!r} names no ¶ or Q number")
    return problems
