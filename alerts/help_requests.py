"""The help inbox as dispatchers read it: each request with the person behind it and its thread.

A request is open until a dispatcher takes it, then taken until it is resolved. What is shown
holds personal data (a place, a masked phone, the person's words): show it, never log it.
The steps on a request are in `alerts.help_inbox`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout import sms_talk
from alerts.models import Registrant
from core import help_thread
from core.clock import as_utc
from core.models import HandoverRequest, HelpMessage, Person
from core.phone_mask import for_staff
from core.said import Said

OPEN = "open"
TAKEN = "taken"
RESOLVED = "resolved"


class InboxError(Exception):
    """A step the inbox refused; `reason` says why, for the dispatcher (`Said`, so the console
    says it in their language)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class HelpRequest:
    """One request as the inbox shows it. Holds personal data: show it, never log it."""

    id: int
    created_at: datetime
    kind: str
    """"person" (asked for a person) or "emergency"."""
    danger: str | None
    alert_id: int | None
    language: str
    disability_kinds: tuple[str, ...]
    latitude: float | None
    longitude: float | None
    status: str
    taken_by: str | None
    taken_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    person_id: int | None
    in_the_bot: bool
    """The person uses the bot and has not blocked it: a message can be written back."""
    masked_phone: str | None
    """The registration list's phone, shown masked, for somebody the bot cannot reach."""
    talking: bool = False
    """A dispatcher talks with the person: their messages come to the thread."""
    name: str | None = None
    """How the person shows in Telegram, to address them by; None when not known."""
    by_sms: bool = False
    """Somebody outside the bot who asked for help by SMS: a dispatcher writes to them by SMS."""
    thread: tuple[help_thread.ThreadLine, ...] = ()
    """The person's own words (typed, voice transcript, place, SMS) and the dispatchers'."""

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _view(
    request: HandoverRequest,
    person: Person | None,
    registrant: Registrant | None,
    thread: list[HelpMessage] | None = None,
) -> HelpRequest:
    kinds: list[str] = []
    for source in (person, registrant):
        for kind in (source.disability_kinds if source is not None else None) or []:
            if kind not in kinds:
                kinds.append(kind)
    reachable = person is not None and person.blocked_bot_at is None
    phone = registrant.phone if registrant is not None else None
    phone = phone or (person.phone if person is not None else None)
    return HelpRequest(
        id=request.id,
        created_at=as_utc(request.created_at),
        kind=request.kind,
        danger=request.danger,
        alert_id=request.alert_id,
        language=request.language,
        disability_kinds=tuple(kinds),
        latitude=request.latitude,
        longitude=request.longitude,
        status=request.status,
        taken_by=request.taken_by,
        taken_at=as_utc(request.taken_at) if request.taken_at else None,
        resolved_by=request.resolved_by,
        resolved_at=as_utc(request.resolved_at) if request.resolved_at else None,
        person_id=request.person_id,
        in_the_bot=reachable,
        masked_phone=for_staff(phone) if phone else None,
        talking=bool(request.talking),
        name=request.name,
        by_sms=sms_talk.by_sms(request) is not None and bool(registrant and registrant.phone),
        thread=tuple(help_thread.line(message) for message in thread or ()),
    )


async def list_requests(session: AsyncSession, *, limit: int = 200) -> list[HelpRequest]:
    """Open requests first, then taken, then resolved; newest first within each."""
    rank = case((HandoverRequest.status == OPEN, 0), (HandoverRequest.status == TAKEN, 1), else_=2)
    rows = (
        await session.execute(
            select(HandoverRequest, Person)
            .outerjoin(Person, Person.id == HandoverRequest.person_id)
            .order_by(rank, HandoverRequest.created_at.desc(), HandoverRequest.id.desc())
            .limit(limit)
        )
    ).all()
    registrants = await _registrants(session, [(r, p) for r, p in rows])
    threads = await help_thread.of_requests(session, [request.id for request, _ in rows])
    return [
        _view(request, person, registrants.get(request.id), threads.get(request.id))
        for request, person in rows
    ]


async def one(session: AsyncSession, request_id: int) -> HelpRequest:
    """One request with its whole thread, for its own page."""
    request = await find_request(session, request_id)
    person = await session.get(Person, request.person_id) if request.person_id else None
    registrants = await _registrants(session, [(request, person)])
    threads = await help_thread.of_requests(session, [request.id])
    return _view(request, person, registrants.get(request.id), threads[request.id])


async def latest_id(session: AsyncSession) -> int:
    """The id of the newest request (0 when there is none), for "new requests arrived"."""
    newest = await session.scalar(select(func.max(HandoverRequest.id)))
    return newest or 0


async def count_open(session: AsyncSession) -> int:
    """Requests nobody has taken yet."""
    found = await session.scalar(
        select(func.count()).select_from(HandoverRequest).where(HandoverRequest.status == OPEN)
    )
    return found or 0


async def _registrants(
    session: AsyncSession, rows: list[tuple[HandoverRequest, Person | None]]
) -> dict[int, Registrant]:
    """The list entry of each request: the one it names, else the person's own."""
    by_id = {r.registrant_id for r, _ in rows if r.registrant_id is not None}
    by_person = {r.person_id for r, _ in rows if r.registrant_id is None and r.person_id}
    found: list[Registrant] = []
    if by_id:
        found += (await session.scalars(select(Registrant).where(Registrant.id.in_(by_id)))).all()
    if by_person:
        query = select(Registrant).where(Registrant.person_id.in_(by_person))
        found += (await session.scalars(query)).all()
    ids = {registrant.id: registrant for registrant in found}
    people = {registrant.person_id: registrant for registrant in found if registrant.person_id}
    matched: dict[int, Registrant] = {}
    for request, _ in rows:
        if request.registrant_id is not None:
            registrant = ids.get(request.registrant_id)
        elif request.person_id is not None:
            registrant = people.get(request.person_id)
        else:
            registrant = None
        if registrant is not None:
            matched[request.id] = registrant
    return matched


async def find_request(session: AsyncSession, request_id: int) -> HandoverRequest:
    """The stored request, or InboxError when there is no such request."""
    request = await session.get(HandoverRequest, request_id)
    if request is None:
        raise InboxError(Said("inbox.refused.no_request", id=request_id))
    return request
