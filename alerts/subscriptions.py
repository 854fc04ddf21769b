"""Joining and leaving the emergency-warning list from the bot.

A bot user's place on the list is one `Registrant` row, found by their person id (or by their
Telegram chat, for somebody the official list already holds with a chat id). Joining again
changes that row instead of adding a second one. Leaving deletes the row and the consent that
came with it: people who leave the list are not kept on it, not even as inactive rows.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import phonenumbers
from sqlalchemy import case, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Registrant
from alerts.registry import region_word, regions, values
from alerts.retention import detach
from core import audit
from core.encryption import lookup_values
from core.models import Consent, Person
from core.people import person_ref

CONSENT_TOPIC = "alerts"
CONSENT_SOURCE = "bot"


class Channels(StrEnum):
    """How a person chose to get warnings."""

    TELEGRAM = "telegram"
    BOTH = "both"
    SMS = "sms"


class RegionMove(StrEnum):
    """What a change of the person's region did to their place on the warning list."""

    NONE = "none"
    """Not on the list (or no longer active on it), or already warned for that region."""
    MOVED = "moved"
    """Their row now has the new region."""
    MOVED_LIST_BEHIND = "moved_list_behind"
    """Their row now has the new region, and the official list still says another one: the
    person is asked to tell their social services office (staff see it at the next import)."""


class PhoneTaken(Exception):
    """Somebody else on the list has this phone; the list keeps each phone once."""


def mobile_phone(text: str) -> str | None:
    """A Kazakh mobile number in E.164 from what was typed or said, or None.

    The number may sit inside a sentence ("my number is 8 701 …"), as speech transcripts
    and hurried typing give it. Only mobile numbers count: they are where SMS goes.
    """
    found = [match.raw_string for match in phonenumbers.PhoneNumberMatcher(text, "KZ")]
    for candidate in found or [text]:
        try:
            return values.phone(candidate)
        except values.CellProblem:
            continue
    return None


def channels_of(registrant: Registrant) -> Channels:
    if registrant.telegram_chat_id is None:
        return Channels.SMS
    return Channels.BOTH if registrant.wants_sms else Channels.TELEGRAM


async def registration(session: AsyncSession, person: Person) -> Registrant | None:
    """The person's row on the list: theirs by person id, else the one with their chat."""
    own_first = case((Registrant.person_id == person.id, 0), else_=1)
    return await session.scalar(
        select(Registrant)
        .where(
            or_(
                Registrant.person_id == person.id, Registrant.telegram_chat_id == person.telegram_id
            )
        )
        .order_by(own_first, Registrant.id)
        .limit(1)
    )


async def phone_taken(session: AsyncSession, person: Person, phone: str) -> bool:
    """Whether another row on the list already has this phone."""
    owner = await session.scalar(
        select(Registrant).where(Registrant.phone_hash.in_(lookup_values(phone))).limit(1)
    )
    if owner is None:
        return False
    mine = await registration(session, person)
    return mine is None or owner.id != mine.id


async def subscribe(
    session: AsyncSession,
    person: Person,
    *,
    region: str,
    latitude: float | None,
    longitude: float | None,
    wants_sms: bool,
    phone: str | None,
    contact_phone: str | None,
    consent_version: str,
    consent_key: str,
    now: datetime,
    telegram: bool = True,
) -> Registrant:
    """Put the person on the list, or change their row; records their consent.

    `telegram=False` means SMS only. Language and disability kinds come from the profile.
    Raises ValueError for a bad region, phone or channel choice and PhoneTaken when the
    phone belongs to somebody else on the list.
    """
    code = regions.normalise_code(region)
    if code is None:
        raise ValueError("unknown region")
    own_phone = _normalised(phone)
    contact = _normalised(contact_phone)
    if wants_sms and own_phone is None:
        raise ValueError("SMS needs a phone")
    if not telegram and not wants_sms:
        raise ValueError("no channel chosen")
    if own_phone is not None and await phone_taken(session, person, own_phone):
        raise PhoneTaken
    registrant = await registration(session, person)
    if telegram:
        await _release_chat(session, person, keep=registrant)
    if registrant is None:
        registrant = Registrant(created_at=now)
        session.add(registrant)
    registrant.person_id = person.id
    registrant.telegram_chat_id = person.telegram_id if telegram else None
    registrant.telegram_unreachable_at = None
    registrant.phone = own_phone if wants_sms else None
    registrant.wants_sms = wants_sms
    registrant.contact_phone = contact
    registrant.language = person.language
    registrant.disability_kinds = list(person.disability_kinds)
    registrant.region = code
    registrant.region_source, registrant.region_set_at = region_word.PERSON, now
    person.region = code  # bookings choose providers there too
    registrant.latitude, registrant.longitude = latitude, longitude
    registrant.consent_source = CONSENT_SOURCE
    registrant.consent_version = consent_version
    registrant.consent_at = now
    registrant.active = True
    registrant.updated_at = now
    await _replace_consent(session, person, key=consent_key, version=consent_version, now=now)
    await session.flush()
    audit.record(
        session,
        at=now,
        actor=person_ref(person),
        action="alerts.subscribed",
        subject=f"registrant:{registrant.id}",
        channels=channels_of(registrant).value,
        contact=contact is not None,
    )
    return registrant


async def unsubscribe(session: AsyncSession, person: Person, *, now: datetime) -> bool:
    """Delete the person's row on the list and their consent to it; False if not on it.

    The alerts they got keep their figures, without the link to them (alerts.retention).
    """
    registrant = await registration(session, person)
    await _delete_consents(session, person)
    if registrant is None:
        return False
    subject = f"registrant:{registrant.id}"
    await detach(session, select(Registrant.id).where(Registrant.id == registrant.id), now)
    await session.delete(registrant)
    await session.flush()
    audit.record(
        session, at=now, actor=person_ref(person), action="alerts.unsubscribed", subject=subject
    )
    return True


async def follow_language(session: AsyncSession, person: Person, *, now: datetime) -> None:
    """Warnings come in the language the person speaks with the bot, also after a change."""
    registrant = await registration(session, person)
    if registrant is not None and registrant.language != person.language:
        registrant.language = person.language
        registrant.updated_at = now


async def follow_region(session: AsyncSession, person: Person, *, now: datetime) -> RegionMove:
    """After the person changed their region in the bot, their place on the list follows it.

    The person's own latest word wins (`alerts.registry.region_word`), whoever put them on the
    list: the region becomes theirs, with its time, and an import of an older list row does not
    undo it. The old coordinates go (they were in the old place). Audited with whose word the
    region was before, never the place.
    """
    registrant = await registration(session, person)
    code = regions.normalise_code(person.region or "")
    if registrant is None or not registrant.active or code is None:
        return RegionMove.NONE
    if region_word.same_region(registrant.region, code):
        return RegionMove.NONE  # the same region (a district of it stays as precise as it was)
    before = registrant.region_source
    registrant.region = code
    registrant.region_source, registrant.region_set_at = region_word.PERSON, now
    registrant.latitude = registrant.longitude = None
    registrant.updated_at = now
    audit.record(
        session,
        at=now,
        actor=person_ref(person),
        action="alerts.region_changed",
        subject=f"registrant:{registrant.id}",
        was=before,
    )
    listed = registrant.list_region
    if listed is not None and not region_word.same_region(listed, code):
        return RegionMove.MOVED_LIST_BEHIND
    return RegionMove.MOVED


def _normalised(phone: str | None) -> str | None:
    if phone is None:
        return None
    normal = mobile_phone(phone)
    if normal is None:
        raise ValueError("not a Kazakh mobile number")
    return normal


async def _release_chat(session: AsyncSession, person: Person, *, keep: Registrant | None) -> None:
    """Another row with the person's own chat is a copy of them (Telegram vouches for the id)."""
    query = select(Registrant).where(Registrant.telegram_chat_id == person.telegram_id)
    if keep is not None:
        query = query.where(Registrant.id != keep.id)
    for other in (await session.scalars(query)).all():
        await session.delete(other)
    await session.flush()


async def _replace_consent(
    session: AsyncSession, person: Person, *, key: str, version: str, now: datetime
) -> None:
    """One consent to the list at a time: the text and version agreed to last."""
    await _delete_consents(session, person)
    session.add(
        Consent(
            person_id=person.id,
            topic=CONSENT_TOPIC,
            text_key=key,
            version=version,
            language=person.language,
            given_at=now,
        )
    )


async def _delete_consents(session: AsyncSession, person: Person) -> None:
    await session.execute(
        delete(Consent).where(Consent.person_id == person.id, Consent.topic == CONSENT_TOPIC)
    )
