"""A person's place on the warning list, the alerts they got and their answers, for their
request to see or delete what is stored (core.privacy_export).

A request's person may be on the list by their bot account, by their Telegram chat, or only by
their phone (the official list), so all three are looked for. Deleting takes the person off the
list the way the bot's "leave" does (`alerts.subscriptions.unsubscribe`); rows the bot does not
know (a phone from the list) are deleted too. Their delivery records stay anonymised
(`alerts.retention.detach`), so the figures of past alerts do not change; their help requests
answered by SMS, which hold a place, are deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts import subscriptions
from alerts.models import Alert, AlertRecipient, Delivery, Registrant
from alerts.retention import detach
from core.clock import Clock
from core.encryption import lookup_values
from core.models import HandoverRequest, HelpMessage, Person
from core.privacy_export import Records, Section, Subject, as_record

INTERNAL = frozenset({"phone_hash"})
"""Columns derived from others, left out of exports."""


def _of_subject(subject: Subject) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if subject.person_ids:
        conditions.append(Registrant.person_id.in_(subject.person_ids))
    if subject.telegram_ids:
        conditions.append(Registrant.telegram_chat_id.in_(subject.telegram_ids))
    if subject.phone is not None:
        conditions.append(Registrant.phone_hash.in_(lookup_values(subject.phone)))
    return or_(*conditions) if conditions else false()


async def registrants_of(session: AsyncSession, subject: Subject) -> Sequence[Registrant]:
    """The subject's rows on the list, by bot account, Telegram chat or phone."""
    query = select(Registrant).where(_of_subject(subject)).order_by(Registrant.id)
    return (await session.scalars(query)).all()


async def _find(session: AsyncSession, subject: Subject) -> list[Person]:
    """Bot users whose list rows the request found (by phone, say)."""
    linked = [r.person_id for r in await registrants_of(session, subject) if r.person_id]
    if not linked:
        return []
    return list((await session.scalars(select(Person).where(Person.id.in_(linked)))).all())


async def _export(session: AsyncSession, subject: Subject) -> Records:
    registrants = await registrants_of(session, subject)
    ids = [registrant.id for registrant in registrants]
    received = await session.execute(
        select(AlertRecipient, Alert.identifier, Alert.sender, Alert.sent)
        .join(Alert, Alert.id == AlertRecipient.alert_id)
        .where(AlertRecipient.registrant_id.in_(ids))
        .order_by(AlertRecipient.id)
    )
    alerts: list[dict[str, Any]] = [
        as_record(recipient)
        | {"alert_identifier": identifier, "alert_sender": sender, "alert_sent": sent.isoformat()}
        for recipient, identifier, sender, sent in received.all()
    ]
    deliveries = await session.scalars(
        select(Delivery).where(Delivery.registrant_id.in_(ids)).order_by(Delivery.id)
    )
    help_requests = (
        await session.scalars(
            select(HandoverRequest)
            .where(
                HandoverRequest.registrant_id.in_(ids),
                or_(
                    HandoverRequest.person_id.is_(None),
                    HandoverRequest.person_id.not_in(subject.person_ids),
                ),
            )
            .order_by(HandoverRequest.id)
        )
    ).all()
    thread = await session.scalars(
        select(HelpMessage)
        .where(HelpMessage.request_id.in_([request.id for request in help_requests]))
        .order_by(HelpMessage.id)
    )
    return {
        "registrations": [as_record(registrant, skip=INTERNAL) for registrant in registrants],
        "alerts_received": alerts,
        "alert_deliveries": [as_record(delivery) for delivery in deliveries],
        "alert_help_requests": [as_record(request) for request in help_requests],
        "alert_help_messages": [as_record(message) for message in thread],
    }


async def _erase(session: AsyncSession, subject: Subject, clock: Clock) -> None:
    ids = [registrant.id for registrant in await registrants_of(session, subject)]
    if not ids:
        return
    await session.execute(
        delete(HandoverRequest)
        .where(HandoverRequest.registrant_id.in_(ids))
        .execution_options(synchronize_session="fetch")
    )
    await detach(session, select(Registrant.id).where(Registrant.id.in_(ids)), clock.now())
    for person in subject.people:
        await subscriptions.unsubscribe(session, person, now=clock.now())
    left = await session.scalars(select(Registrant).where(Registrant.id.in_(ids)))
    for registrant in left.all():
        await session.delete(registrant)
    await session.flush()


SECTION = Section(name="alerts", find=_find, export=_export, erase=_erase)
