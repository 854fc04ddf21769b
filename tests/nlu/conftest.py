from __future__ import annotations

from pathlib import Path

TEST_SET = Path(__file__).resolve().parents[2] / "nlu" / "data" / "test" / "test.tsv"
