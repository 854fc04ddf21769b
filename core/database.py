"""The database: an async engine, sessions, and Alembic migrations applied on start."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core import encryption
from core.settings import Settings

SessionFactory = async_sessionmaker[AsyncSession]

PING_AFTER_IDLE_SECONDS = 5.0
"""A pooled server connection idle longer than this is checked before it is handed out."""


def create_engine(settings: Settings) -> AsyncEngine:
    """An engine for the configured URL; SQLite gets a file under the data directory, in WAL.

    It also sets the process's key for personal data encrypted at rest (core.encryption).
    """
    encryption.configure(settings.data_key)
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite":
        # A statement prepared while a table was small keeps its plan as the table grows
        # (a broadcast writes 100,000 ledger rows in seconds): planned afresh each time, the
        # claim reads its batch by index instead of scanning the whole alert.
        engine = create_async_engine(
            url, connect_args={"server_settings": {"plan_cache_mode": "force_custom_plan"}}
        )
        _ping_when_idle(engine)
        return engine
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # One connection: SQLite has one writer at a time anyway, and queueing for the connection
    # in asyncio is fast and fair, where SQLite's own busy-wait sleeps make a long tail.
    engine = create_async_engine(
        url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0, pool_timeout=60
    )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection that sat idle before use; a dead one is replaced at once.

    A server restart or a dropped link while the pool sat idle is then never seen by the
    caller. Connections used a moment ago are not checked: the fan-out takes one every few
    milliseconds, and asyncpg's check costs three round trips (begin, a no-op, rollback), more
    than most of its statements.
    """

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")  # none: connected just now
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the server went away: the pool connects again
            raise DisconnectionError(type(error).__name__) from error
        if not alive:
            raise DisconnectionError("ping failed")

    event.listen(engine.sync_engine, "checkin", checked_in)
    event.listen(engine.sync_engine, "checkout", checked_out)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def refresh_statistics(sessions: SessionFactory, *tables: str) -> None:
    """After a bulk load, bring PostgreSQL's planner statistics up to date at once.

    Autovacuum would within a minute or so; an alert sent in that minute would be planned as
    if the tables were still small (the recipients read by scanning the whole list again for
    each page). SQLite plans without statistics: nothing to do there.
    """
    async with sessions() as session:
        dialect = session.get_bind().dialect
        if dialect.name != "postgresql":
            return
        quote = dialect.identifier_preparer.quote
        for table in tables:
            await session.execute(text(f"ANALYZE {quote(table)}"))
        await session.commit()


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped in `core`."""
    config = Config()
    config.set_main_option("script_location", "core:migrations")
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations up to `revision` on the engine's database."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)
