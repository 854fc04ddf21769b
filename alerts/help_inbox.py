"""The dispatchers' help inbox: calls for help from the bot and answers "I need help" to alerts.

A request is open until a dispatcher takes it, then taken until it is resolved. Each step is
a conditional update, so of two dispatchers pressing "Take" at once only one gets it. A
dispatcher can write back to a person who uses the bot: the message goes through the outbox,
in the same transaction as its audit entry. The audit log names the request and the step,
never the message or anything else about the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Registrant
from core import audit, help_thread, notifications
from core.clock import as_utc
from core.models import HandoverRequest, HelpMessage, Person
from core.phone_mask import for_staff

OPEN = "open"
TAKEN = "taken"
RESOLVED = "resolved"
REPLY_KEY = "inbox.reply"
"""The catalog key of a dispatcher's message: "The rescue services write to you: {text}"."""
TALKING_KEY = "help.talking"
"""Tells the person a dispatcher ({name}) now writes with them, and how to stop."""
ENDED_KEY = "help.ended"
"""Tells the person the conversation is over and the bot answers again."""
MAX_REPLY = 1000
"""Characters in one message written back; Telegram's limit is 4,096 with the lead-in."""


class InboxError(Exception):
    """A step the inbox refused; the message says why, for the dispatcher."""


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
    thread: tuple[help_thread.ThreadLine, ...] = ()
    """The person's own words (typed, voice transcript, place, SMS) and the dispatchers'."""

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _subject(request_id: int) -> str:
    return f"handover:{request_id}"


def _audit(
    session: AsyncSession,
    action: str,
    request_id: int,
    actor: str,
    now: datetime,
    origin: str | None,
    **details: str | int | bool | None,
) -> None:
    """One step on a request in the audit log: the request and the step, never the person."""
    audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        subject=_subject(request_id),
        origin=origin,
        **details,
    )


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
    request = await _request(session, request_id)
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


async def _request(session: AsyncSession, request_id: int) -> HandoverRequest:
    request = await session.get(HandoverRequest, request_id)
    if request is None:
        raise InboxError(f"There is no help request {request_id}.")
    return request


async def _move(
    session: AsyncSession,
    request: HandoverRequest,
    *,
    sources: frozenset[str],
    values: dict[str, object],
) -> bool:
    """Change the request only if its status is still one of `sources`; False when it was not."""
    result = await session.execute(
        update(HandoverRequest)
        .where(HandoverRequest.id == request.id, HandoverRequest.status.in_(sources))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(request)
    return getattr(result, "rowcount", 0) == 1


def _who(actor: str | None) -> str:
    """ "staff:aigul" as "aigul", for messages to staff."""
    return (actor or "somebody").removeprefix("staff:")


def _not_open(request: HandoverRequest) -> InboxError:
    if request.status == RESOLVED:
        return InboxError(
            f"Help request {request.id} is already resolved by {_who(request.resolved_by)}."
        )
    return InboxError(f"Help request {request.id} is already taken by {_who(request.taken_by)}.")


async def take(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> None:
    """The dispatcher takes an open request: the others see who is on it."""
    request = await _request(session, request_id)
    if request.status == TAKEN and request.taken_by == actor:
        return
    values = {"status": TAKEN, "taken_by": actor, "taken_at": now}
    if not await _move(session, request, sources=frozenset({OPEN}), values=values):
        raise _not_open(request)
    _audit(session, "inbox.taken", request_id, actor, now, origin, kind=request.kind)
    await _start_talking(session, request, actor=actor, now=now, origin=origin)


async def _start_talking(
    session: AsyncSession,
    request: HandoverRequest,
    *,
    actor: str,
    now: datetime,
    origin: str | None,
) -> None:
    """From now on the person's messages go to the thread; the bot tells them who writes and
    how to stop. Only for somebody the bot can reach."""
    if request.talking or request.person_id is None:
        return
    person = await session.get(Person, request.person_id)
    if person is None or person.blocked_bot_at is not None:
        return
    request.talking = True
    notifications.enqueue(session, person_id=person.id, key=TALKING_KEY, now=now, name=_who(actor))
    _audit(session, "inbox.talk_started", request.id, actor, now, origin)


async def _stop_talking(
    session: AsyncSession,
    request: HandoverRequest,
    *,
    actor: str,
    now: datetime,
    origin: str | None,
) -> None:
    """The conversation ends: the person's messages go to the bot's dialogue again."""
    if not request.talking:
        return
    request.talking = False
    if request.person_id is not None:
        notifications.enqueue(session, person_id=request.person_id, key=ENDED_KEY, now=now)
    _audit(session, "inbox.talk_ended", request.id, actor, now, origin)


async def end_talk(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> None:
    """The dispatcher ends the conversation (the request stays taken until resolved)."""
    request = await _request(session, request_id)
    if not request.talking:
        raise InboxError(f"Nobody is talking with the person of help request {request_id}.")
    await _stop_talking(session, request, actor=actor, now=now, origin=origin)


async def resolve(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> None:
    """The request is dealt with (whoever had taken it)."""
    request = await _request(session, request_id)
    values: dict[str, object] = {
        "status": RESOLVED,
        "resolved_by": actor,
        "resolved_at": now,
        # whoever resolves an open request took it; one already taken keeps its taker
        "taken_by": func.coalesce(HandoverRequest.taken_by, actor),
        "taken_at": func.coalesce(
            HandoverRequest.taken_at, literal(now, HandoverRequest.taken_at.type)
        ),
    }
    talking = request.talking
    if not await _move(session, request, sources=frozenset({OPEN, TAKEN}), values=values):
        raise InboxError(
            f"Help request {request_id} is already resolved by {_who(request.resolved_by)}."
        )
    _audit(session, "inbox.resolved", request_id, actor, now, origin, kind=request.kind)
    if talking:
        await _stop_talking(session, request, actor=actor, now=now, origin=origin)


def check_reply(text: str) -> str:
    """The message as it will be sent, or InboxError saying what is wrong with it."""
    cleaned = text.strip()
    if not cleaned:
        raise InboxError("Write a message first.")
    if len(cleaned) > MAX_REPLY:
        raise InboxError(
            f"The message is {len(cleaned):,} characters long; the most is {MAX_REPLY:,}. "
            "Make it shorter."
        )
    return cleaned


async def write_back(
    session: AsyncSession,
    request_id: int,
    text: str,
    *,
    actor: str,
    now: datetime,
    origin: str | None,
) -> None:
    """Send the person a message through the bot; an open request is taken by the writer."""
    message = check_reply(text)
    request = await _request(session, request_id)
    person = await session.get(Person, request.person_id) if request.person_id else None
    if person is None:
        raise InboxError(
            f"Help request {request_id} came from somebody who does not use the bot. "
            "Call their phone instead."
        )
    if person.blocked_bot_at is not None:
        raise InboxError("This person has blocked the bot, so a message cannot reach them.")
    if request.status == RESOLVED:
        raise InboxError(f"Help request {request_id} is resolved; the conversation is over.")
    if request.status == OPEN:
        await take(session, request_id, actor=actor, now=now, origin=origin)
    else:
        await _start_talking(session, request, actor=actor, now=now, origin=origin)
    notifications.enqueue(session, person_id=person.id, key=REPLY_KEY, now=now, text=message)
    _audit(session, "inbox.replied", request_id, actor, now, origin, characters=len(message))
    help_thread.add(
        session,
        request,
        sender=help_thread.STAFF,
        channel="telegram",
        text=message,
        at=now,
        actor=actor,
        origin=origin,
    )


async def reveal_phone(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> str:
    """The full phone of the list entry behind a request, to call them; audited as a view."""
    request = await _request(session, request_id)
    registrant: Registrant | None = None
    if request.registrant_id is not None:
        registrant = await session.get(Registrant, request.registrant_id)
    elif request.person_id is not None:
        query = select(Registrant).where(Registrant.person_id == request.person_id)
        registrant = await session.scalar(query)
    phone = registrant.phone if registrant is not None else None
    if not phone and request.person_id is not None:
        person = await session.get(Person, request.person_id)
        phone = person.phone if person is not None else None
    if not phone:
        raise InboxError(f"Help request {request_id} has no phone we know.")
    _audit(session, "inbox.phone_shown", request_id, actor, now, origin)
    return phone
