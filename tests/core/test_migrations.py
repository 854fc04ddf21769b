"""Migrations apply on SQLite (WAL) and on a real PostgreSQL started from Debian's packages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from core.database import create_engine, current_revision, upgrade
from core.settings import Settings
from tests.conftest import need
from tests.servers.postgres import postgres_bin, running_postgres

TABLES = {"people", "consents", "conversations", "handover_requests", "audit_log"}


async def _check(settings: Settings) -> str:
    engine = create_engine(settings)
    try:
        await upgrade(engine)
        await upgrade(engine)  # idempotent: a restart applies nothing new
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables >= TABLES
        revision = await current_revision(engine)
        assert revision is not None
        return revision
    finally:
        await engine.dispose()


async def test_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "var")  # type: ignore[call-arg]
    assert await _check(settings) == "0020"
    assert (tmp_path / "var" / "komek.db").exists()
    engine = create_engine(settings)
    async with engine.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
    await engine.dispose()
    assert mode == "wal"


@pytest.mark.postgres
async def test_postgresql() -> None:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    with running_postgres() as url:
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        assert await _check(settings) == "0020"


async def test_migrations_match_the_models(tmp_path: Path) -> None:
    """Every table and column the code declares is created by the migrations, and no more."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import alerts.models  # noqa: F401
    import bookings.models  # noqa: F401 - registers the booking tables on Base.metadata
    import core.notifications
    import core.staff.models  # noqa: F401
    from core.models import Base

    settings = Settings(_env_file=None, data_dir=tmp_path / "var")  # type: ignore[call-arg]
    engine = create_engine(settings)
    await upgrade(engine)

    def differences(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        diff = await connection.run_sync(differences)
    await engine.dispose()
    assert diff == []
