"""People who use the bot: find or create them, change their profile, forget them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit, help_thread
from core.clock import Clock
from core.models import Consent, Conversation, HandoverRequest, Person, ReviewItem
from core.profile import AnswerMode, DisabilityKind, Language

EMERGENCY_LOCATION_WINDOW = timedelta(hours=1)
"""A place shared this soon after a call for help is taken to be where the person is."""


def person_ref(person: Person) -> str:
    """How the audit log names a person: the internal id, never a Telegram id or a phone."""
    return f"person:{person.id}"


class People:
    """Reads and changes people's records; every change of note is audited."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def find(self, session: AsyncSession, telegram_id: int) -> Person | None:
        return await session.scalar(select(Person).where(Person.telegram_id == telegram_id))

    async def create(self, session: AsyncSession, telegram_id: int, language: Language) -> Person:
        person = Person(
            telegram_id=telegram_id,
            language=language.value,
            answer_mode=AnswerMode.TEXT.value,
            speech_rate=100,
            disability_kinds=[],
            created_at=self._clock.now(),
        )
        session.add(person)
        await session.flush()
        session.add(Conversation(person_id=person.id, menu=[], updated_at=self._clock.now()))
        await session.flush()
        audit.record(
            session, at=self._clock.now(), actor=person_ref(person), action="person.created"
        )
        return person

    async def mark_blocked(self, session: AsyncSession, telegram_id: int) -> None:
        person = await self.find(session, telegram_id)
        if person is not None and person.blocked_bot_at is None:
            person.blocked_bot_at = self._clock.now()

    async def conversation(self, session: AsyncSession, person: Person) -> Conversation:
        found = await session.get(Conversation, person.id)
        if found is None:
            found = Conversation(person_id=person.id, menu=[], updated_at=self._clock.now())
            session.add(found)
        return found

    async def set_disability_kinds(
        self, session: AsyncSession, person: Person, kinds: list[DisabilityKind], *, text_key: str
    ) -> None:
        """Store self-declared kinds with a consent record naming the text that was shown."""
        person.disability_kinds = sorted({kind.value for kind in kinds})
        given = await session.scalar(
            select(Consent.id).where(
                Consent.person_id == person.id,
                Consent.topic == "disability_kinds",
                Consent.withdrawn_at.is_(None),
            )
        )
        if kinds and given is None:
            session.add(
                Consent(
                    person_id=person.id,
                    topic="disability_kinds",
                    text_key=text_key,
                    version="1",
                    language=person.language,
                    given_at=self._clock.now(),
                )
            )

    async def consents(self, session: AsyncSession, person: Person) -> list[Consent]:
        query = select(Consent).where(Consent.person_id == person.id).order_by(Consent.id)
        return list((await session.scalars(query)).all())

    async def request_handover(
        self, session: AsyncSession, person: Person, *, name: str | None = None
    ) -> HandoverRequest:
        """The person asked to talk to a human. `name` is how they show in Telegram."""
        return await self._inbox(
            session, person, kind="person", action="handover.requested", name=name
        )

    async def record_emergency(
        self,
        session: AsyncSession,
        person: Person,
        danger: str,
        *,
        words: str | None = None,
        channel: str = "text",
        name: str | None = None,
    ) -> HandoverRequest:
        """An emergency for the dispatchers' inbox: who, which language, what kind of danger,
        and the person's own words (typed, or heard from their voice message) as its thread's
        first message. `name` is how they show in Telegram, for the dispatcher to address them."""
        request = await self._inbox(
            session, person, kind="emergency", action="emergency.reported", danger=danger, name=name
        )
        if words and words.strip():
            help_thread.add(
                session,
                request,
                sender=help_thread.PERSON,
                channel=channel,
                text=words,
                at=self._clock.now(),
                actor=person_ref(person),
            )
        return request

    async def _inbox(
        self,
        session: AsyncSession,
        person: Person,
        *,
        kind: str,
        action: str,
        danger: str | None = None,
        name: str | None = None,
    ) -> HandoverRequest:
        request = HandoverRequest(
            person_id=person.id,
            language=person.language,
            kind=kind,
            danger=danger,
            name=shown_name(name),
            created_at=self._clock.now(),
        )
        session.add(request)
        await session.flush()
        audit.record(
            session,
            at=self._clock.now(),
            actor=person_ref(person),
            action=action,
            subject=f"handover:{request.id}",
            danger=danger,
        )
        return request

    async def locate_emergency(
        self, session: AsyncSession, person: Person, latitude: float, longitude: float
    ) -> bool:
        """Add a shared place to the person's open emergency of the last hour; False if none."""
        since = self._clock.now() - EMERGENCY_LOCATION_WINDOW
        request = await session.scalar(
            select(HandoverRequest)
            .where(
                HandoverRequest.person_id == person.id,
                HandoverRequest.kind == "emergency",
                HandoverRequest.status == "open",
                HandoverRequest.created_at >= since,
            )
            .order_by(HandoverRequest.id.desc())
        )
        if request is None:
            return False
        request.latitude, request.longitude = latitude, longitude
        help_thread.add(
            session,
            request,
            sender=help_thread.PERSON,
            channel="location",
            text=f"{latitude:.5f}, {longitude:.5f}",
            at=self._clock.now(),
            actor=person_ref(person),
        )
        audit.record(
            session,
            at=self._clock.now(),
            actor=person_ref(person),
            action="emergency.located",
            subject=f"handover:{request.id}",
        )
        return True

    async def open_handovers(self, session: AsyncSession, person: Person) -> int:
        query = select(HandoverRequest).where(
            HandoverRequest.person_id == person.id,
            HandoverRequest.status == "open",
            HandoverRequest.kind == "person",
        )
        return len((await session.scalars(query)).all())

    async def forget(self, session: AsyncSession, person: Person) -> None:
        """Delete everything stored about the person; the audit entry keeps no personal data."""
        reference = person_ref(person)
        for table in (HandoverRequest, ReviewItem, Consent, Conversation):
            await session.execute(delete(table).where(table.person_id == person.id))
        await session.delete(person)
        audit.record(session, at=self._clock.now(), actor=reference, action="person.forgotten")


NAME_LIMIT = 128


def shown_name(name: str | None) -> str | None:
    """A name as a person shows it in Telegram, made safe to keep and show: printable characters
    only, spaces collapsed, at most NAME_LIMIT characters; None when nothing is left."""
    if not name:
        return None
    printable = "".join(char if char.isprintable() else " " for char in name)
    kept = " ".join(printable.split())[:NAME_LIMIT].strip()
    return kept or None
