"""Staff accounts: create, change roles, regions and language, disable, reset a password.

Every change is written to the audit log in the same transaction, naming who did it.
Logging in and sessions are `core.staff.sessions`; CAP API senders `core.staff.api_senders`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit
from core.clock import Clock
from core.database import SessionFactory
from core.staff.api_senders import ApiSenders
from core.staff.credentials import check_strength, hash_password
from core.staff.errors import AccountError
from core.staff.models import StaffSession, StaffUser
from core.staff.roles import Role
from core.staff.sessions import LoginPolicy, StaffSessions, lift_lockout

__all__ = ["AccountError", "StaffAccounts", "region_prefixes"]


def region_prefixes(text: str) -> tuple[str, ...]:
    """KATO prefixes from "75, 71"; AccountError naming one that is not 2 to 9 digits."""
    found: list[str] = []
    for part in text.replace(";", ",").split(","):
        code = part.strip()
        if not code:
            continue
        if not (code.isascii() and code.isdecimal() and 2 <= len(code) <= 9):
            raise AccountError(f"{code!r} is not a KATO code prefix (2 to 9 digits)")
        found.append(code)
    return tuple(sorted(set(found)))


class StaffAccounts:
    """Staff accounts, with their sessions (`staff_sessions`) and the API senders."""

    def __init__(
        self, sessions: SessionFactory, clock: Clock, policy: LoginPolicy | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.staff_sessions = StaffSessions(sessions, clock, policy or LoginPolicy())
        self.api_senders = ApiSenders(sessions, clock)

    async def create(
        self,
        username: str,
        password: str,
        roles: frozenset[Role],
        *,
        actor: str,
        origin: str | None = None,
    ) -> int:
        """Add a staff account (password checked and hashed off the loop); audited; its id."""
        username = username.strip()
        if not username or len(username) > 64 or not username.isprintable():
            raise AccountError("a user name needs 1 to 64 printable characters")
        check_strength(password, username)
        password_hash = await asyncio.to_thread(hash_password, password)  # slow on purpose
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            taken = await session.scalar(select(StaffUser.id).where(StaffUser.username == username))
            if taken is not None:
                raise AccountError(f"there is already a user called {username}")
            user = StaffUser(
                username=username,
                password_hash=password_hash,
                roles=sorted(role.value for role in roles),
                created_at=now,
            )
            session.add(user)
            await session.flush()
            audit.record(
                session,
                at=now,
                actor=actor,
                action="staff.created",
                subject=f"staff:{username}",
                origin=origin,
                roles=",".join(user.roles),
            )
            return user.id

    async def list(self) -> list[StaffUser]:
        """Every staff account, by user name."""
        async with self._sessions() as session:
            return list(await session.scalars(select(StaffUser).order_by(StaffUser.username)))

    async def set_roles(
        self, username: str, roles: frozenset[Role], *, actor: str, origin: str | None = None
    ) -> None:
        """Change an account's roles and end its sessions; audited."""
        names = sorted(role.value for role in roles)
        changing = self._changing(
            username, "staff.roles_changed", actor=actor, origin=origin, roles=",".join(names)
        )
        async with changing as (session, user):
            user.roles = names
            await self._end_sessions(session, user.id)

    async def set_regions(
        self, username: str, regions: tuple[str, ...], *, actor: str, origin: str | None = None
    ) -> None:
        """The regions (KATO prefixes) whose bookings a coordinator sees and acts on."""
        changing = self._changing(
            username, "staff.regions_changed", actor=actor, origin=origin, regions=",".join(regions)
        )
        async with changing as (_, user):
            user.regions = list(regions)

    async def set_language(
        self, username: str, language: str | None, *, actor: str, origin: str | None = None
    ) -> None:
        """The console's language for the account (None: follow the browser)."""
        changing = self._changing(
            username, "staff.language_changed", actor=actor, origin=origin, language=language
        )
        async with changing as (_, user):
            user.language = language

    async def set_active(
        self, username: str, active: bool, *, actor: str, origin: str | None = None
    ) -> None:
        """Enable an account (lifting a lockout) or disable it (ending its sessions); audited."""
        action = "staff.enabled" if active else "staff.disabled"
        async with self._changing(username, action, actor=actor, origin=origin) as (session, user):
            user.active = active
            if active:
                lift_lockout(user)
            else:
                await self._end_sessions(session, user.id)

    async def reset_password(
        self, username: str, password: str, *, actor: str, origin: str | None = None
    ) -> None:
        """Set a new password, lift a lockout and end the account's sessions; audited."""
        check_strength(password, username)
        password_hash = await asyncio.to_thread(hash_password, password)  # slow on purpose
        changing = self._changing(username, "staff.password_reset", actor=actor, origin=origin)
        async with changing as (session, user):
            user.password_hash = password_hash
            lift_lockout(user)
            await self._end_sessions(session, user.id)

    @asynccontextmanager
    async def _changing(
        self,
        username: str,
        action: str,
        *,
        actor: str,
        origin: str | None,
        **details: str | int | bool | None,
    ) -> AsyncIterator[tuple[AsyncSession, StaffUser]]:
        """One change to an account, in a transaction that also writes its audit entry."""
        async with self._sessions() as session, session.begin():
            user = await self._user(session, username)
            yield session, user
            audit.record(
                session,
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=f"staff:{username}",
                origin=origin,
                **details,
            )

    async def _user(self, session: AsyncSession, username: str) -> StaffUser:
        user = await session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            raise AccountError(f"there is no user called {username}")
        return user

    async def _end_sessions(self, session: AsyncSession, user_id: int) -> None:
        await session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
