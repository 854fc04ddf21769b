"""Staff accounts: create, disable, reset a password, log in with lockout, sessions.

Every change is written to the audit log in the same transaction, naming who did it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit
from core.clock import Clock
from core.database import SessionFactory
from core.staff.credentials import (
    check_strength,
    hash_password,
    needs_rehash,
    new_token,
    token_hash,
    verify_password,
)
from core.staff.models import ApiSender, ApiSenderIdentity, StaffSession, StaffUser
from core.staff.roles import Role


class AccountError(Exception):
    """A refused account operation; the message is for the member of staff."""


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
        return f"staff:{self.username}"

    def has(self, *roles: Role) -> bool:
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


def _lift_lockout(user: StaffUser) -> None:
    user.failed_logins = 0
    user.locked_until = None


def _staff(user: StaffUser, csrf_token: str) -> Staff:
    roles = frozenset(Role(r) for r in user.roles)
    regions = tuple(user.regions or ())
    return Staff(user.id, user.username, roles, csrf_token, regions, user.language)


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
    def __init__(
        self, sessions: SessionFactory, clock: Clock, policy: LoginPolicy | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.policy = policy or LoginPolicy()

    async def create(
        self,
        username: str,
        password: str,
        roles: frozenset[Role],
        *,
        actor: str,
        origin: str | None = None,
    ) -> int:
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
        async with self._sessions() as session:
            return list(await session.scalars(select(StaffUser).order_by(StaffUser.username)))

    async def set_roles(
        self, username: str, roles: frozenset[Role], *, actor: str, origin: str | None = None
    ) -> None:
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
        action = "staff.enabled" if active else "staff.disabled"
        async with self._changing(username, action, actor=actor, origin=origin) as (session, user):
            user.active = active
            if active:
                _lift_lockout(user)
            else:
                await self._end_sessions(session, user.id)

    async def reset_password(
        self, username: str, password: str, *, actor: str, origin: str | None = None
    ) -> None:
        check_strength(password, username)
        password_hash = await asyncio.to_thread(hash_password, password)  # slow on purpose
        changing = self._changing(username, "staff.password_reset", actor=actor, origin=origin)
        async with changing as (session, user):
            user.password_hash = password_hash
            _lift_lockout(user)
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
        _lift_lockout(user)
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

    async def create_sender(self, name: str, *, actor: str, cap_senders: Collection[str]) -> str:
        """A CAP API sender; returns its token, shown this once and never stored.

        `cap_senders` are the CAP `<sender>` values its documents may carry; each value
        belongs to one sender only, so nobody else can post, update or cancel in its name.
        """
        name = name.strip()
        if not name or len(name) > 64 or not name.isprintable():
            raise AccountError("a sender name needs 1 to 64 printable characters")
        identities = sorted({value.strip() for value in cap_senders if value.strip()})
        if not identities:
            raise AccountError("name at least one CAP sender value the sender posts as")
        if any(len(value) > 200 or not value.isprintable() for value in identities):
            raise AccountError("a CAP sender value needs 1 to 200 printable characters")
        token = new_token()
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            if await session.scalar(select(ApiSender.id).where(ApiSender.name == name)):
                raise AccountError(f"there is already a sender called {name}")
            taken = await session.scalar(
                select(ApiSenderIdentity.cap_sender).where(
                    ApiSenderIdentity.cap_sender.in_(identities)
                )
            )
            if taken is not None:
                raise AccountError(f"the CAP sender {taken} belongs to another sender")
            sender = ApiSender(name=name, token_hash=token_hash(token), created_at=now)
            session.add(sender)
            await session.flush()
            session.add_all(
                ApiSenderIdentity(cap_sender=value, sender_id=sender.id) for value in identities
            )
            audit.record(
                session,
                at=now,
                actor=actor,
                action="api_sender.created",
                subject=f"sender:{name}",
                cap_senders=",".join(identities),
            )
        return token

    async def add_cap_sender(self, name: str, cap_sender: str, *, actor: str) -> None:
        """Let an existing API sender post documents with one more CAP sender value."""
        value = cap_sender.strip()
        if not value or len(value) > 200 or not value.isprintable():
            raise AccountError("a CAP sender value needs 1 to 200 printable characters")
        async with self._sessions() as session, session.begin():
            sender = await session.scalar(select(ApiSender).where(ApiSender.name == name))
            if sender is None:
                raise AccountError(f"there is no sender called {name}")
            if await session.get(ApiSenderIdentity, value) is not None:
                raise AccountError(f"the CAP sender {value} is already registered")
            session.add(ApiSenderIdentity(cap_sender=value, sender_id=sender.id))
            audit.record(
                session,
                at=self._clock.now(),
                actor=actor,
                action="api_sender.cap_sender_added",
                subject=f"sender:{name}",
                cap_sender=value,
            )

    async def sender_for(self, token: str) -> str | None:
        """The name of the active sender a bearer token belongs to."""
        async with self._sessions() as session:
            sender = await session.scalar(
                select(ApiSender).where(ApiSender.token_hash == token_hash(token))
            )
            return sender.name if sender is not None and sender.active else None

    async def _user(self, session: AsyncSession, username: str) -> StaffUser:
        user = await session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            raise AccountError(f"there is no user called {username}")
        return user

    async def _end_sessions(self, session: AsyncSession, user_id: int) -> None:
        await session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))

    async def purge_sessions(self, now: datetime) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
