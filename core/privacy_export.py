"""Everything stored about one person: to show it to them, or to delete it, on their request.

A request names the person by Telegram id or by phone. `PersonalData.subject` finds the people
it means; each part of the system then contributes its records as a `Section` (the core's own
below; bookings and alerts have theirs in `bookings.privacy` and `alerts.privacy`), so this
module needs to know none of them. The caller (the command line today, the bot's "my data"
later) chooses the sections.

The export is plain JSON-ready data: every column of every row, times in ISO 8601 (UTC).
Deleting uses the same code as the bot's "forget me" (`core.people.People.forget`). Both are
audited with counts and internal ids only, never a phone or a Telegram id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit
from core.clock import Clock
from core.models import (
    AuditEntry,
    Consent,
    Conversation,
    HandoverRequest,
    HelpMessage,
    Person,
    ReviewItem,
)
from core.notifications import Notification
from core.people import People, person_ref

FORMAT = 1
"""Version of the export's layout."""

Records = dict[str, list[dict[str, Any]]]
"""Table name → its rows about the person, as plain data."""


@dataclass
class Subject:
    """Whom a request is about: what it named, and the people that turned out to be."""

    telegram_id: int | None = None
    phone: str | None = None
    """E.164."""
    people: list[Person] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        return [person.id for person in self.people]

    @property
    def telegram_ids(self) -> list[int]:
        ids = {person.telegram_id for person in self.people}
        if self.telegram_id is not None:
            ids.add(self.telegram_id)
        return sorted(ids)

    @property
    def named_by(self) -> str:
        """How the request named the person, for the audit log (the kind, never the value)."""
        return "telegram_id" if self.telegram_id is not None else "phone"

    def add_people(self, people: Sequence[Person]) -> None:
        known = set(self.person_ids)
        self.people.extend(person for person in people if person.id not in known)


@dataclass(frozen=True, kw_only=True)
class Section:
    """One part of the system's records about a person."""

    name: str
    find: Callable[[AsyncSession, Subject], Awaitable[list[Person]]] | None = None
    """More people the request means (a registrant found by phone is a bot user)."""
    export: Callable[[AsyncSession, Subject], Awaitable[Records]]
    erase: Callable[[AsyncSession, Subject, Clock], Awaitable[None]]
    """Delete the records; called before the core deletes the people themselves."""
    kept: frozenset[str] = frozenset()
    """Records exported but not erased (they hold no personal data)."""


def as_record(row: Any, *, skip: Collection[str] = ()) -> dict[str, Any]:
    """Every column of an ORM row as JSON-ready data."""
    mapper = inspect(row).mapper
    return {
        column.key: _plain(getattr(row, column.key))
        for column in mapper.column_attrs
        if column.key not in skip
    }


def _counts(records: Records, *, skip: Collection[str] = ()) -> dict[str, int]:
    """Rows per table: what the audit log may say about a person's records."""
    return {name: len(rows) for name, rows in records.items() if name not in skip}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class PersonalData:
    """Finds, exports and erases a person's records across the sections given."""

    def __init__(self, clock: Clock, sections: Sequence[Section]) -> None:
        self._clock = clock
        self._sections = [CORE, *sections]

    async def subject(
        self, session: AsyncSession, *, telegram_id: int | None = None, phone: str | None = None
    ) -> Subject:
        """The people a request naming a Telegram id or a phone (E.164) means."""
        if (telegram_id is None) == (phone is None):
            raise ValueError("name the person by exactly one of a Telegram id or a phone")
        subject = Subject(telegram_id=telegram_id, phone=phone)
        for section in self._sections:
            if section.find is not None:
                subject.add_people(await section.find(session, subject))
        return subject

    async def export(
        self, session: AsyncSession, subject: Subject, *, actor: str
    ) -> dict[str, Any]:
        """Everything stored about the subject; the export itself is audited (counts only)."""
        records = await self.records(session, subject)
        now = self._clock.now()
        self._audit(session, "privacy.exported", actor, subject, _counts(records))
        return {
            "format": FORMAT,
            "exported_at": now.isoformat(),
            "request": {"telegram_id": subject.telegram_id, "phone": subject.phone},
            **records,
        }

    async def erase(self, session: AsyncSession, subject: Subject, *, actor: str) -> dict[str, int]:
        """Delete everything stored about the subject; returns how many rows, per table.

        Statistics that name nobody stay (an alert's counts); the audit log keeps its entries,
        which hold internal ids and no personal data, and gets one more with the counts.
        """
        counts = await self.count(session, subject)
        reference = self._reference(subject)
        for section in reversed(self._sections):  # the core's people last: others refer to them
            await section.erase(session, subject, self._clock)
        await session.flush()
        self._audit(session, "privacy.deleted", actor, subject, counts, reference=reference)
        return counts

    async def count(self, session: AsyncSession, subject: Subject) -> dict[str, int]:
        """How many rows `erase` would delete (or anonymise), per table; not audited."""
        counts: dict[str, int] = {}
        for section in self._sections:
            records = await section.export(session, subject)
            counts.update(_counts(records, skip=section.kept))
        return counts

    async def records(self, session: AsyncSession, subject: Subject) -> Records:
        """Every section's records about the subject, by table."""
        records: Records = {}
        for section in self._sections:
            records.update(await section.export(session, subject))
        return records

    def _audit(
        self,
        session: AsyncSession,
        action: str,
        actor: str,
        subject: Subject,
        counts: dict[str, int],
        *,
        reference: str | None = None,
    ) -> None:
        """The kind of identifier the request used and the counts; never a value."""
        details: dict[str, Any] = {"by": subject.named_by, **counts}
        audit.record(
            session,
            at=self._clock.now(),
            actor=actor,
            action=action,
            subject=reference or self._reference(subject),
            **details,
        )

    @staticmethod
    def _reference(subject: Subject) -> str | None:
        return person_ref(subject.people[0]) if len(subject.people) == 1 else None


async def _find_people(session: AsyncSession, subject: Subject) -> list[Person]:
    found: list[Person] = []
    if subject.telegram_id is not None:
        query = select(Person).where(Person.telegram_id == subject.telegram_id)
        found.extend((await session.scalars(query)).all())
    if subject.phone is not None:
        # Person.phone is encrypted when a key is set and rarely given: compared after reading.
        with_phone = await session.scalars(select(Person).where(Person.phone.is_not(None)))
        found.extend(person for person in with_phone if person.phone == subject.phone)
    return found


async def _export(session: AsyncSession, subject: Subject) -> Records:
    ids = subject.person_ids
    references = [person_ref(person) for person in subject.people]

    async def rows(query: Any, *, skip: Collection[str] = ()) -> list[dict[str, Any]]:
        return [as_record(row, skip=skip) for row in (await session.scalars(query)).all()]

    return {
        "people": [as_record(person) for person in subject.people],
        "consents": await rows(
            select(Consent).where(Consent.person_id.in_(ids)).order_by(Consent.id)
        ),
        "conversations": await rows(select(Conversation).where(Conversation.person_id.in_(ids))),
        "handover_requests": await rows(
            select(HandoverRequest)
            .where(HandoverRequest.person_id.in_(ids))
            .order_by(HandoverRequest.id)
        ),
        "help_messages": await rows(
            select(HelpMessage)
            .join(HandoverRequest, HandoverRequest.id == HelpMessage.request_id)
            .where(HandoverRequest.person_id.in_(ids))
            .order_by(HelpMessage.id)
        ),
        "notifications": await rows(
            select(Notification).where(Notification.person_id.in_(ids)).order_by(Notification.id)
        ),
        "nlu_review_items": await rows(
            select(ReviewItem).where(ReviewItem.person_id.in_(ids)).order_by(ReviewItem.id)
        ),
        "audit_entries": await rows(
            select(AuditEntry)
            .where(or_(AuditEntry.actor.in_(references), AuditEntry.subject.in_(references)))
            .order_by(AuditEntry.id)
        ),
    }


async def _erase(session: AsyncSession, subject: Subject, clock: Clock) -> None:
    """The bot's "forget me" for each person: their notifications, bookings and quota go with
    them (the tables' foreign keys cascade)."""
    people = People(clock)
    for person in subject.people:
        await people.forget(session, person)


CORE = Section(
    name="core", find=_find_people, export=_export, erase=_erase, kept=frozenset({"audit_entries"})
)
