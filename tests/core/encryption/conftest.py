"""The encryption tests' settings: with the data key, forgotten after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from core import encryption
from core.settings import Settings
from tests.core.encryption.values import KEY


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "var",
        data_key=SecretStr(KEY),
    )


@pytest.fixture(autouse=True)
def _no_key_for_the_next_test() -> Iterator[None]:
    yield
    encryption.configure(None)
