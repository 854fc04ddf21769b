"""One running Kömek per test module (see world.py); the NLU and knowledge are the session's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from content.articles import KnowledgeBase
from nlu.pipeline import NLU
from tests.safety.cases_en import EN
from tests.safety.cases_kk import KK
from tests.safety.cases_ru import RU
from tests.safety.predict import predicted
from tests.safety.world import World, running_world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(
    tmp_path_factory: pytest.TempPathFactory, nlu: NLU, knowledge: KnowledgeBase
) -> AsyncIterator[World]:
    async with running_world(tmp_path_factory.mktemp("safety"), nlu, knowledge) as running:
        yield running


@pytest.fixture(scope="session")
def predictions(
    tmp_path_factory: pytest.TempPathFactory, models_dir: Path
) -> dict[str, str | None]:
    """What `komek nlu predict` decides for every row of the contract, by row id."""
    data_dir = tmp_path_factory.mktemp("predict")
    (data_dir / "models").symlink_to(models_dir)  # the models the test session trained
    decisions: dict[str, str | None] = {}
    for rows in (KK, RU, EN):
        decisions |= predicted(rows, rows[0].language, data_dir)
    return decisions
