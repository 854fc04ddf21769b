"""Fixtures: a knowledge base in tmp_path, and the system's Hunspell dictionaries."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from content.spelling import Speller
from tests.content.samples import GOOD_FACTS, SEED, Workspace, in_ci


@pytest.fixture(scope="session")
def speller() -> Speller:
    """The real speller (system dictionaries, content/allowlist*); skipped if one is missing."""
    loaded = Speller.load()
    if loaded.missing:
        reason = "; ".join(f"{lang.value}: {why}" for lang, why in loaded.missing.items())
        if in_ci():
            pytest.fail(f"Hunspell dictionaries are required in CI: {reason}")
        pytest.skip(f"spelling not tested: {reason}")
    return loaded


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A knowledge base with good facts and no article yet, and one seed document."""
    space = Workspace(tmp_path / "content", tmp_path / "seeds")
    space.articles.mkdir(parents=True)
    space.seeds.mkdir()
    (space.seeds / SEED).write_text("3. Sixty hours a year.\n4. Persons.\n", "utf-8")
    space.write_facts(copy.deepcopy(GOOD_FACTS))
    return space
