from __future__ import annotations

from pathlib import Path

import pytest

from nlu.pipeline import NLU, load_or_train


@pytest.fixture(scope="session")
def nlu(tmp_path_factory: pytest.TempPathFactory) -> NLU:
    """Trained once per test session, into a fresh cache folder."""
    return NLU(load_or_train(tmp_path_factory.mktemp("models")))


TEST_SET = Path(__file__).resolve().parents[2] / "nlu" / "data" / "test" / "test.tsv"
