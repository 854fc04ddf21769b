"""Pooled PostgreSQL connections: checked before use after sitting idle, planned afresh."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from core import database
from core.database import create_engine
from core.settings import Settings
from tests.conftest import need
from tests.servers.postgres import postgres_bin, running_postgres


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    with running_postgres() as url:
        yield url


@pytest.fixture
async def engine(server_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Settings(_env_file=None, database_url=server_url))  # type: ignore[call-arg]
    yield engine
    await engine.dispose()


@pytest.mark.postgres
async def test_idle_connection_cut_by_the_server_is_replaced_unseen(
    engine: AsyncEngine, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with engine.connect() as connection:
        before = await connection.scalar(text("SELECT pg_backend_pid()"))
    assert await _cut_other_links(server_url) >= 1
    # Every pooled connection counts as idle long enough to be checked.
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    async with engine.connect() as connection:
        after = await connection.scalar(text("SELECT pg_backend_pid()"))
    assert after != before


@pytest.mark.postgres
async def test_connection_used_a_moment_ago_is_not_checked(
    engine: AsyncEngine, server_url: str
) -> None:
    """The trade: a link cut in the last few seconds surfaces as one error, then heals."""
    async with engine.connect() as connection:
        await connection.scalar(text("SELECT 1"))
    assert await _cut_other_links(server_url) >= 1
    with pytest.raises(DBAPIError) as raised:
        async with engine.connect() as connection:
            await connection.scalar(text("SELECT 1"))
    assert raised.value.connection_invalidated
    async with engine.connect() as connection:  # the pool has started afresh
        assert await connection.scalar(text("SELECT 1")) == 1


@pytest.mark.postgres
async def test_statements_are_planned_for_the_tables_as_they_are_now(engine: AsyncEngine) -> None:
    """A plan cached while the ledger was empty scanned the whole alert on every claim."""
    async with engine.connect() as connection:
        mode = await connection.scalar(text("SHOW plan_cache_mode"))
    assert mode == "force_custom_plan"


async def _cut_other_links(server_url: str) -> int:
    """End every other server connection, as a server restart or a dropped link would."""
    engine = create_engine(Settings(_env_file=None, database_url=server_url))  # type: ignore[call-arg]
    try:
        async with engine.connect() as connection:
            ended = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        await engine.dispose()
    return int(ended or 0)
