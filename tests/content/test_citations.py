"""Citations point at paragraphs and questions that really exist in the seed documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.citations import citation_problems
from content.lint import SEEDS_DIR
from tests.conftest import need

REPORT = "001_0ef62e480f873c9e.txt"
ANSWERS = "000_5588e29e2ccd71e8.txt"
MINISTRY = "004_559291ade841a4b0.txt"


@pytest.fixture(autouse=True)
def seeds_present() -> None:
    need(SEEDS_DIR.is_dir(), f"the seed documents are not at {SEEDS_DIR}")


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        (REPORT, "¶303"),
        (REPORT, "¶286–290 ¶288"),
        (ANSWERS, "Q7 (answer 4)"),
        (MINISTRY, "¶4 (line 7)"),
    ],
)
def test_real_citations_pass(seed: str, ref: str) -> None:
    assert citation_problems(SEEDS_DIR / seed, ref) == []


@pytest.mark.parametrize(
    ("seed", "ref", "problem"),
    [
        (REPORT, "¶99999", "has no paragraph 99999"),
        (ANSWERS, "Q999", "has no question 999"),
        (MINISTRY, "¶4 (line 8)", "is not line 8"),
        (REPORT, "somewhere", "names no ¶ or Q number"),
    ],
)
def test_wrong_citations_are_reported(seed: str, ref: str, problem: str) -> None:
    problems = citation_problems(Path(SEEDS_DIR / seed), ref)
    assert any(problem in p for p in problems), problems
