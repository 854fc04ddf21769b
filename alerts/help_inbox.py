"""The dispatchers' help inbox: calls for help from the bot and answers "I need help" to alerts.

The steps on a request: take it, write back, end the conversation, resolve it, show the phone.
Each step is a conditional update, so of two dispatchers pressing "Take" at once only one gets
it. A dispatcher can write back to a person who uses the bot: the message goes through the
outbox, in the same transaction as its audit entry. To somebody who asked for help by SMS it
goes by SMS (`alerts.fanout.sms_talk`): the steps return those SMS, to hand to a worker once
the transaction is committed. The audit log names the request and the
step, never the message or anything else about the person. Reading the inbox is in
`alerts.help_requests`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout import sms_talk
from alerts.fanout.sms_talk import Queued
from alerts.help_requests import OPEN, RESOLVED, TAKEN, InboxError, find_request
from alerts.models import Registrant
from core import audit, help_thread, notifications
from core.models import HandoverRequest, Person
from core.said import Said

REPLY_KEY = "inbox.reply"
"""The catalog key of a dispatcher's message: "The rescue services write to you: {text}"."""
TALKING_KEY = "help.talking"
"""Tells the person a dispatcher ({name}) now writes with them, and how to stop."""
ENDED_KEY = "help.ended"
"""Tells the person the conversation is over and the bot answers again."""
MAX_REPLY = 1000
"""Characters in one message written back; Telegram's limit is 4,096 with the lead-in."""


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
    """ "staff:aigul" as "aigul", for messages to staff ("somebody" in their language)."""
    return actor.removeprefix("staff:") if actor else Said("inbox.refused.somebody")


def _not_open(request: HandoverRequest) -> InboxError:
    if request.status == RESOLVED:
        return InboxError(
            Said("inbox.refused.resolved_by", id=request.id, who=_who(request.resolved_by))
        )
    return InboxError(Said("inbox.refused.taken_by", id=request.id, who=_who(request.taken_by)))


async def take(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> None:
    """The dispatcher takes an open request: the others see who is on it."""
    request = await find_request(session, request_id)
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
    how to stop. For somebody the bot cannot reach, who asked for help by SMS, the conversation
    goes by SMS: each message written to them says who writes and how to stop."""
    if request.talking:
        return
    if request.person_id is None:
        if await _sms_phone(session, request) is not None:
            request.talking = True
            _audit(session, "inbox.talk_started", request.id, actor, now, origin, channel="sms")
        return
    person = await session.get(Person, request.person_id)
    if person is None or person.blocked_bot_at is not None:
        return
    request.talking = True
    notifications.enqueue(
        session, person_id=person.id, key=TALKING_KEY, now=now, name=actor.removeprefix("staff:")
    )
    _audit(session, "inbox.talk_started", request.id, actor, now, origin)


async def _stop_talking(
    session: AsyncSession,
    request: HandoverRequest,
    *,
    actor: str,
    now: datetime,
    origin: str | None,
) -> Queued:
    """The conversation ends: the person's messages go to the bot's dialogue again (or, by
    SMS, answer alerts again); an SMS conversation's end is told by SMS."""
    if not request.talking:
        return ()
    request.talking = False
    _audit(session, "inbox.talk_ended", request.id, actor, now, origin)
    if request.person_id is not None:
        notifications.enqueue(session, person_id=request.person_id, key=ENDED_KEY, now=now)
        return ()
    return await sms_talk.queue_ended(session, request, now)


async def _sms_phone(session: AsyncSession, request: HandoverRequest) -> str | None:
    """The phone an SMS conversation about this request goes to, if it can go by SMS."""
    found = sms_talk.by_sms(request)
    registrant = await session.get(Registrant, found[1]) if found else None
    return registrant.phone if registrant is not None else None


async def end_talk(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> Queued:
    """The dispatcher ends the conversation (the request stays taken until resolved)."""
    request = await find_request(session, request_id)
    if not request.talking:
        raise InboxError(Said("inbox.refused.not_talking", id=request_id))
    return await _stop_talking(session, request, actor=actor, now=now, origin=origin)


async def resolve(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> Queued:
    """The request is dealt with (whoever had taken it)."""
    request = await find_request(session, request_id)
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
            Said("inbox.refused.resolved_by", id=request_id, who=_who(request.resolved_by))
        )
    _audit(session, "inbox.resolved", request_id, actor, now, origin, kind=request.kind)
    if not talking:
        return ()
    return await _stop_talking(session, request, actor=actor, now=now, origin=origin)


def check_reply(text: str) -> str:
    """The message as it will be sent, or InboxError saying what is wrong with it."""
    cleaned = text.strip()
    if not cleaned:
        raise InboxError(Said("inbox.refused.write_first"))
    if len(cleaned) > MAX_REPLY:
        raise InboxError(Said("inbox.refused.too_long", length=len(cleaned), most=MAX_REPLY))
    return cleaned


async def write_back(
    session: AsyncSession,
    request_id: int,
    text: str,
    *,
    actor: str,
    now: datetime,
    origin: str | None,
) -> Queued:
    """Send the person a message through the bot, or by SMS to somebody who asked for help by
    SMS; an open request is taken by the writer. Returns the SMS to hand to a worker."""
    message = check_reply(text)
    request = await find_request(session, request_id)
    person = await session.get(Person, request.person_id) if request.person_id else None
    if person is None and await _sms_phone(session, request) is None:
        raise InboxError(Said("inbox.refused.no_bot", id=request_id))
    if person is not None and person.blocked_bot_at is not None:
        raise InboxError(Said("inbox.refused.blocked"))
    if request.status == RESOLVED:
        raise InboxError(Said("inbox.refused.over", id=request_id))
    if request.status == OPEN:
        await take(session, request_id, actor=actor, now=now, origin=origin)
    else:
        await _start_talking(session, request, actor=actor, now=now, origin=origin)
    if person is not None:
        notifications.enqueue(session, person_id=person.id, key=REPLY_KEY, now=now, text=message)
    _audit(session, "inbox.replied", request_id, actor, now, origin, characters=len(message))
    written = help_thread.add(
        session,
        request,
        sender=help_thread.STAFF,
        channel="telegram" if person is not None else "sms",
        text=message,
        at=now,
        actor=actor,
        origin=origin,
    )
    if person is not None:
        return ()
    await session.flush()
    return await sms_talk.queue_words(session, request, written.id, now)


async def reveal_phone(
    session: AsyncSession, request_id: int, *, actor: str, now: datetime, origin: str | None
) -> str:
    """The full phone of the list entry behind a request, to call them; audited as a view."""
    request = await find_request(session, request_id)
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
        raise InboxError(Said("inbox.refused.no_phone", id=request_id))
    _audit(session, "inbox.phone_shown", request_id, actor, now, origin)
    return phone
