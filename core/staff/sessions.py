"""Staff sessions: logging in (with the account-wide lockout), the session cookie, logging out.

Argon2 runs off the event loop and outside any transaction; every attempt is audited.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit
from core.clock import Clock
from core.database import SessionFactory
from core.staff.credentials import (
    hash_password,
    needs_rehash,
    new_token,
    token_hash,
    verify_password,
)
from core.staff.models import StaffSession, StaffUser
from core.staff.roles import Role


@dataclass(frozen=True)
class Staff:
    """Who is logged in, as the console's routes see them."""

    user_id: int
    username: str
    roles: frozenset[Role]
    csrf_token: str
    regions: tuple[str, ...] = ()
    """KATO prefixes of a coordinator's organisation: the bookings they see and act on."""
    language: str | None = None
    """The console's language they chose (kk, ru, en); None: their browser's."""

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"staff:{self.username}"

    def has(self, *roles: Role) -> bool:
        """Whether they have any of `roles`."""
        return bool(self.roles.intersection(roles))


@dataclass(frozen=True)
class LoginPolicy:
    """The account-wide back-off: after `max_failures` wrong passwords in a row (from any
    address), the account waits `first_lockout`, doubling with each further failure, up to
    `lockout`. Per-address throttling comes first (console.login_limit)."""

    max_failures: int = 20
    lockout: timedelta = timedelta(minutes=15)
    first_lockout: timedelta = timedelta(seconds=30)
    session_idle: timedelta = timedelta(hours=2)
    session_max: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class Login:
    """A successful login: the cookie's token (only its hash is stored) and who it is."""

    token: str
    staff: Staff


class LoginRefused(Exception):
    """Wrong name or password, a disabled account, or a lockout (`locked` says which)."""

    def __init__(self, locked: bool) -> None:
        super().__init__("locked" if locked else "refused")
        self.locked = locked


def lift_lockout(user: StaffUser) -> None:
    """Clear the count of failed logins and any lockout."""
    user.failed_logins = 0
    user.locked_until = None


def _staff(user: StaffUser, csrf_token: str) -> Staff:
    roles = frozenset(Role(r) for r in user.roles)
    regions = tuple(user.regions or ())
    return Staff(user.id, user.username, roles, csrf_token, regions, user.language)


class StaffSessions:
    """Logging in and out, and who a session cookie belongs to."""

    def __init__(self, sessions: SessionFactory, clock: Clock, policy: LoginPolicy) -> None:
        self._sessions = sessions
        self._clock = clock
        self.policy = policy

    async def log_in(self, username: str, password: str, *, origin: str | None) -> Login:
        """A new session, or LoginRefused; failures count towards a temporary lockout."""
        username = username.strip()
        async with self._sessions() as session:
            stored = await session.scalar(
                select(StaffUser.password_hash).where(StaffUser.username == username)
            )
        # Argon2 is slow on purpose: off the event loop, and outside any transaction.
        matches = await asyncio.to_thread(verify_password, stored, password)
        rehashed = None
        if matches and stored is not None and needs_rehash(stored):  # older Argon2 parameters
            rehashed = await asyncio.to_thread(hash_password, password)
        async with self._sessions() as session, session.begin():
            outcome = await self._attempt(session, username, (stored, rehashed), matches, origin)
        if isinstance(outcome, LoginRefused):
            raise outcome  # after the commit: the failure and its audit entry are kept
        return outcome

    async def _attempt(
        self,
        session: AsyncSession,
        username: str,
        rehash: tuple[str | None, str | None],
        matches: bool,
        origin: str | None,
    ) -> Login | LoginRefused:
        """The attempt's outcome; `rehash` is (the hash checked, its replacement or None)."""
        now = self._clock.now()
        user = await session.scalar(
            select(StaffUser).where(StaffUser.username == username).with_for_update()
        )
        if user is None:
            audit.record(
                session,
                at=now,
                actor="anonymous",
                action="staff.login_failed",
                origin=origin,
                reason="unknown user",
            )
            return LoginRefused(locked=False)
        subject = f"staff:{user.username}"
        if user.locked_until is not None and user.locked_until > now:
            audit.record(
                session,
                at=now,
                actor=subject,
                action="staff.login_failed",
                subject=subject,
                origin=origin,
                reason="locked",
            )
            return LoginRefused(locked=True)
        if not matches or not user.active:
            user.failed_logins += 1
            over = user.failed_logins - self.policy.max_failures
            locked = over >= 0
            if locked:
                backoff = self.policy.first_lockout * 2 ** min(over, 20)
                user.locked_until = now + min(self.policy.lockout, backoff)
            audit.record(
                session,
                at=now,
                actor=subject,
                action="staff.login_failed",
                subject=subject,
                origin=origin,
                reason="disabled" if matches else "wrong password",
                locked=locked,
            )
            return LoginRefused(locked=locked)
        checked, rehashed = rehash
        if rehashed is not None and user.password_hash == checked:  # unless changed meanwhile
            user.password_hash = rehashed
        lift_lockout(user)
        user.last_login_at = now
        token = new_token()
        record = StaffSession(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_token=new_token(),
            created_at=now,
            last_seen_at=now,
            expires_at=now + self.policy.session_max,
        )
        session.add(record)
        audit.record(
            session,
            at=now,
            actor=subject,
            action="staff.logged_in",
            subject=subject,
            origin=origin,
        )
        return Login(token, _staff(user, record.csrf_token))

    async def session_staff(self, token: str) -> Staff | None:
        """Who a session cookie belongs to, if it is live; touching it keeps it alive."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            record = await session.get(StaffSession, token_hash(token))
            if record is None:
                return None
            user = await session.get(StaffUser, record.user_id)
            idle = now - record.last_seen_at > self.policy.session_idle
            if user is None or not user.active or record.expires_at <= now or idle:
                await session.delete(record)
                return None
            if now - record.last_seen_at > timedelta(minutes=1):
                record.last_seen_at = now
            return _staff(user, record.csrf_token)

    async def log_out(self, token: str, *, origin: str | None) -> None:
        """End the session of `token`, if it is live; audited."""
        async with self._sessions() as session, session.begin():
            record = await session.get(StaffSession, token_hash(token))
            if record is None:
                return
            user = await session.get(StaffUser, record.user_id)
            await session.delete(record)
            subject = f"staff:{user.username}" if user else None
            audit.record(
                session,
                at=self._clock.now(),
                actor=subject or "anonymous",
                action="staff.logged_out",
                subject=subject,
                origin=origin,
            )

    async def purge_expired(self, now: datetime) -> None:
        """Delete the sessions that expired by `now`."""
        async with self._sessions() as session, session.begin():
            await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
