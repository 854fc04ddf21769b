"""Readiness: can this process do its work? The database answers and is migrated; Redis answers.

Liveness (`/healthz`) needs no check: a process whose event loop answers is alive. Readiness
(`/readyz`) asks the services a process depends on. Each check says only ok or not and a short
reason in words; never a URL, a password or an error text that could hold one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cache

from alembic.script import ScriptDirectory
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import Connection, column, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from core.database import SessionFactory, alembic_config
from core.settings import Settings

VERSION_TABLE = "alembic_version"
CHECK_SECONDS = 3.0
"""How long one check may take before it counts as failed."""


@dataclass(frozen=True, slots=True)
class Check:
    """One dependency: reachable and usable, or why not."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Readiness:
    """The readiness checks of this process; ready when every one is."""

    checks: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    def to_json(self) -> dict[str, object]:
        return {
            "status": "ready" if self.ready else "not ready",
            "checks": {
                check.name: {"ok": check.ok, "detail": check.detail} for check in self.checks
            },
        }


@cache
def head_revisions() -> frozenset[str]:
    """The newest migration(s) this code ships."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _revisions(connection: Connection) -> frozenset[str]:
    """The revisions in Alembic's version table (read directly: Alembic's reader logs each time)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return frozenset()
    return frozenset(
        connection.execute(
            select(column("version_num")).select_from(table(VERSION_TABLE))
        ).scalars()
    )


async def check_database(sessions: SessionFactory) -> Check:
    """The database answers and is at the newest migration."""
    try:
        async with asyncio.timeout(CHECK_SECONDS), sessions() as session:
            connection = await session.connection()
            current = await connection.run_sync(_revisions)
    except TimeoutError:
        return Check("database", False, "no answer in time")
    except (SQLAlchemyError, OSError) as error:
        return Check("database", False, f"unreachable ({type(error).__name__})")
    expected = head_revisions()
    if current != expected:
        found = ",".join(sorted(current)) or "none"
        return Check(
            "database",
            False,
            f"at revision {found}, this version needs {','.join(sorted(expected))}: "
            "run `komek db upgrade`",
        )
    return Check("database", True, f"at revision {','.join(sorted(current))}")


async def check_redis(url: str) -> Check:
    """Redis answers a PING."""
    client = Redis.from_url(url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS)
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await client.ping()
    except TimeoutError:
        return Check("redis", False, "no answer in time")
    except (RedisError, OSError) as error:
        return Check("redis", False, f"unreachable ({type(error).__name__})")
    finally:
        await client.aclose()
    return Check("redis", True, "answers")


async def readiness(settings: Settings, sessions: SessionFactory) -> Readiness:
    """The database always; Redis when the process is configured to use it."""
    checks = [check_database(sessions)]
    if settings.redis_url:
        checks.append(check_redis(settings.redis_url))
    return Readiness(tuple(await asyncio.gather(*checks)))
