"""Migrations apply on SQLite (WAL) and on a real PostgreSQL started from Debian's packages."""

from __future__ import annotations

from datetime import UTC, datetime
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
    assert await _check(settings) == "0021"
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
        assert await _check(settings) == "0021"


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


async def _region_words_after_0021(settings: Settings) -> list[tuple[object, ...]]:
    """Rows stored at 0020 (one from the list, one from the bot), then 0021 applied."""
    engine = create_engine(settings)
    try:
        await upgrade(engine, "0020")
        async with engine.begin() as connection:
            for number, source in enumerate(("list", "bot"), start=1):
                await connection.execute(
                    text(
                        "INSERT INTO registrants (telegram_chat_id, disability_kinds, language,"
                        " region, consent_source, consent_version, consent_at, active,"
                        " wants_sms, test_group, created_at, updated_at) VALUES (:chat, '[]',"
                        " 'ru', :region, :source, '1', :at, true, false, false, :at, :at)"
                    ),
                    {"chat": number, "region": f"7{number}", "source": source, "at": UPDATED},
                )
        await upgrade(engine)
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT telegram_chat_id, region_source, region_set_at, list_region"
                    " FROM registrants ORDER BY telegram_chat_id"
                )
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


UPDATED = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def _same_time(stored: object) -> bool:
    """A stored time read back raw: a string on SQLite, a datetime on PostgreSQL."""
    if isinstance(stored, str):
        stored = datetime.fromisoformat(stored)
    assert isinstance(stored, datetime)
    return stored.replace(tzinfo=stored.tzinfo or UTC) == UPDATED


async def test_0021_gives_stored_regions_their_word_on_sqlite(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "var")  # type: ignore[call-arg]
    rows = await _region_words_after_0021(settings)
    assert [(chat, source, listed) for chat, source, _, listed in rows] == [
        (1, "list", "71"),
        (2, "bot", None),
    ]
    assert all(_same_time(at) for _, _, at, _ in rows)


@pytest.mark.postgres
async def test_0021_gives_stored_regions_their_word_on_postgresql() -> None:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    with running_postgres() as url:
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        rows = await _region_words_after_0021(settings)
    assert [(chat, source, listed) for chat, source, _, listed in rows] == [
        (1, "list", "71"),
        (2, "bot", None),
    ]
    assert all(_same_time(at) for _, _, at, _ in rows)
