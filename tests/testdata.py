"""The shared real-world test data: `../shared/testdata` beside the project's root.

Its README lists what is there (CAP documents, speech recordings). CI has it; elsewhere a
test that needs it is skipped, naming what is missing (`need`, which fails in CI instead).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import need

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
CAP_DATA = TESTDATA / "cap"
SPEECH = TESTDATA / "speech"


def shared_data(relative: str | Path) -> Path:
    """The file or folder `relative` of the shared test data, e.g. "cap/valid/02-….xml";
    the test is skipped (failed in CI) when it is not there."""
    path = TESTDATA / relative
    need(path.exists(), f"the shared test data is not here: {path} is missing")
    return path
