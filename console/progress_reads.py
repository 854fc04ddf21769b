"""Where the live progress reads an alert's figures: beside the fan-out, not in its way.

On SQLite the process shares one pooled connection, which the fan-out keeps busy with its
claims and outcomes; a count over 100,000 rows on it would hold the fan-out up, and would
itself wait behind the fan-out's transactions. In WAL mode readers and the writer do not
block each other, so progress reads use connections of their own, opened for each read (so
nothing is left open to close) and run in their own thread. Other databases use the pool.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from core.database import SessionFactory, session_factory


def reading_sessions(sessions: SessionFactory) -> SessionFactory:
    """Sessions on the same database as `sessions`, for reads that must not queue behind it."""
    bound = sessions.kw.get("bind")
    if not isinstance(bound, AsyncEngine):
        return sessions
    url = bound.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return sessions
    return session_factory(
        create_async_engine(url, poolclass=NullPool, connect_args={"timeout": 30})
    )
