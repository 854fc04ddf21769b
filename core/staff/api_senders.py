"""CAP API senders: their bearer tokens and the CAP `<sender>` values each may post as."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from core import audit
from core.clock import Clock
from core.database import SessionFactory
from core.staff.credentials import new_token, token_hash
from core.staff.errors import AccountError
from core.staff.models import ApiSender, ApiSenderIdentity


class ApiSenders:
    """Creating API senders and recognising their tokens."""

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def create(self, name: str, *, actor: str, cap_senders: Collection[str]) -> str:
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
