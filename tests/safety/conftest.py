"""One running Kömek per test module (see world.py); the NLU and knowledge are the session's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from content.articles import KnowledgeBase
from nlu.pipeline import NLU
from tests.safety.world import World, running_world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(
    tmp_path_factory: pytest.TempPathFactory, nlu: NLU, knowledge: KnowledgeBase
) -> AsyncIterator[World]:
    async with running_world(tmp_path_factory.mktemp("safety"), nlu, knowledge) as running:
        yield running
