"""Staff actions the domain services do not record themselves, into the audit log."""

from __future__ import annotations

from fastapi import Request

from console.context import context_of
from console.security import actor_of, client_address
from core import audit


async def record(
    request: Request, action: str, subject: str | None = None, **details: str | int | bool | None
) -> None:
    """One entry in its own transaction: who (from the session), what, when, from where."""
    ctx = context_of(request)
    async with ctx.sessions() as session, session.begin():
        audit.record(
            session,
            at=ctx.clock.now(),
            actor=actor_of(request),
            action=action,
            subject=subject,
            origin=client_address(request),
            **details,
        )
