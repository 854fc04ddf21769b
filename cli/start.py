"""What every command needs first: settings from the environment and a migrated database.

Kept apart from `cli.runtime` (which imports the bot, the console and the workers) so that a
command such as `komek users create` starts without importing them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.logging import configure_logging
from core.settings import Environment, Settings


def load_settings() -> Settings:
    """Settings from the environment, with logging set up (JSON lines in production)."""
    settings = Settings()
    configure_logging(settings.log_level, json=settings.environment is Environment.PRODUCTION)
    return settings


@asynccontextmanager
async def migrated_sessions(settings: Settings) -> AsyncIterator[SessionFactory]:
    """Sessions on the database, migrated to the newest revision."""
    engine = create_engine(settings)
    try:
        await upgrade(engine)
        yield session_factory(engine)
    finally:
        await engine.dispose()
