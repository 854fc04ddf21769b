"""Joining and leaving the warning list from the bot: one row per person, phones in E.164."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from alerts import subscriptions
from alerts.acks import Acks
from alerts.models import Answer, Registrant
from alerts.subscriptions import Channels, PhoneTaken
from core import audit, phone_mask
from core.clock import ManualClock
from core.database import SessionFactory
from core.models import Consent, HandoverRequest, Person
from core.people import People
from core.profile import DisabilityKind, Language
from tests.alerts.broadcast import add_registrants, alert_received

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
CONSENT_KEY = "alerts.consent.text"


async def _person(session: Any, telegram_id: int = 501, language: Language = Language.KK) -> Person:
    people = People(ManualClock(NOW))
    person = await people.create(session, telegram_id, language)
    await people.set_disability_kinds(
        session, person, [DisabilityKind.DEAF], text_key="onboarding.kinds.why"
    )
    return person


def _choices(**changes: Any) -> dict[str, Any]:
    return {
        "region": "75",
        "latitude": None,
        "longitude": None,
        "wants_sms": True,
        "phone": "8 701 234 56 78",
        "contact_phone": None,
        "consent_version": "1",
        "consent_key": CONSENT_KEY,
        "now": NOW,
    } | changes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8 701 234 56 78", "+77012345678"),
        ("+7 (701) 234-56-78", "+77012345678"),
        ("my number is 87012345678", "+77012345678"),
        ("мой номер 8 705 111 22 33", "+77051112233"),
        ("+7 727 250 00 00", None),  # an Almaty landline cannot get SMS
        ("12345", None),
        ("Алматы", None),
    ],
)
def test_mobile_phones_are_read_in_kazakh_forms(typed: str, expected: str | None) -> None:
    assert subscriptions.mobile_phone(typed) == expected


def test_a_phone_shown_back_is_partly_hidden() -> None:
    assert phone_mask.for_owner("+77012345678") == "+7 701 *** ** 78"
    assert phone_mask.for_staff("+77011234567") == "+7 7** *** 45 67"


async def test_subscribe_writes_one_row_from_the_profile(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _person(session)
        registrant = await subscriptions.subscribe(
            session, person, **_choices(contact_phone="+7 705 111 22 33")
        )
        assert registrant.person_id == person.id
        assert registrant.telegram_chat_id == 501
        assert (registrant.phone, registrant.contact_phone) == ("+77012345678", "+77051112233")
        assert (registrant.language, registrant.disability_kinds) == ("kk", ["deaf"])
        assert (registrant.consent_source, registrant.consent_version) == ("bot", "1")
        assert subscriptions.channels_of(registrant) is Channels.BOTH
        consents = await People(ManualClock(NOW)).consents(session, person)
        assert [(c.topic, c.text_key, c.version) for c in consents][-1] == (
            "alerts",
            CONSENT_KEY,
            "1",
        )
        logged = await audit.entries(session, action="alerts.subscribed")
        assert "+7701" not in str(logged[0].details)


async def test_joining_again_changes_the_same_row(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _person(session)
        await subscriptions.subscribe(session, person, **_choices())
        changed = await subscriptions.subscribe(
            session, person, **_choices(region="35", wants_sms=False, phone=None)
        )
        assert (changed.region, changed.phone, changed.wants_sms) == ("35", None, False)
        assert subscriptions.channels_of(changed) is Channels.TELEGRAM
        assert await session.scalar(select(func.count()).select_from(Registrant)) == 1
        alerts_consents = select(func.count()).where(Consent.topic == "alerts")
        assert await session.scalar(alerts_consents) == 1


async def test_sms_only_leaves_no_telegram_chat(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _person(session)
        registrant = await subscriptions.subscribe(session, person, **_choices(telegram=False))
        assert registrant.telegram_chat_id is None
        assert subscriptions.channels_of(registrant) is Channels.SMS
        assert await subscriptions.registration(session, person) is registrant


async def test_bad_choices_are_refused(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _person(session)
        with pytest.raises(ValueError, match="region"):
            await subscriptions.subscribe(session, person, **_choices(region="99"))
        with pytest.raises(ValueError, match="mobile"):
            await subscriptions.subscribe(session, person, **_choices(phone="12345"))
        with pytest.raises(ValueError, match="phone"):
            await subscriptions.subscribe(session, person, **_choices(phone=None))


async def test_a_phone_on_the_list_belongs_to_one_person(sessions: SessionFactory) -> None:
    await add_registrants(sessions, [{"phone": "+77012345678"}])
    async with sessions.begin() as session:
        person = await _person(session)
        assert await subscriptions.phone_taken(session, person, "+77012345678")
        with pytest.raises(PhoneTaken):
            await subscriptions.subscribe(session, person, **_choices())


async def test_a_list_row_with_the_persons_chat_becomes_theirs(sessions: SessionFactory) -> None:
    await add_registrants(sessions, [{"telegram_chat_id": 501, "region": "71"}])
    async with sessions.begin() as session:
        person = await _person(session)
        found = await subscriptions.registration(session, person)
        assert found is not None and found.person_id is None
        registrant = await subscriptions.subscribe(session, person, **_choices())
        assert registrant.id == found.id and registrant.person_id == person.id
        assert await session.scalar(select(func.count()).select_from(Registrant)) == 1


async def test_leaving_deletes_the_row_and_the_consent(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _person(session)
        await subscriptions.subscribe(session, person, **_choices())
        assert await subscriptions.unsubscribe(session, person, now=NOW)
        assert await subscriptions.registration(session, person) is None
        assert await session.scalar(select(func.count()).select_from(Registrant)) == 0
        topics = (await session.scalars(select(Consent.topic))).all()
        assert topics == ["disability_kinds"]
        assert not await subscriptions.unsubscribe(session, person, now=NOW)


async def test_language_follows_the_profile(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _person(session)
        registrant = await subscriptions.subscribe(session, person, **_choices())
        person.language = Language.RU.value
        await subscriptions.follow_language(session, person, now=NOW)
        assert registrant.language == "ru"


async def test_a_call_for_help_already_in_the_inbox_is_linked_not_doubled(
    sessions: SessionFactory,
) -> None:
    clock = ManualClock(NOW)
    async with sessions.begin() as session:
        person = await _person(session)
        registrant = await subscriptions.subscribe(session, person, **_choices())
        alert = await alert_received(
            session, registrant.id, identifier="quake-1", language="kk", now=NOW
        )
        request = await People(clock).record_emergency(session, person, "urgent")
        answered = await Acks(clock).answer(
            session, registrant, Answer.HELP, via="message", help_request=request
        )
        assert answered is not None and answered.help_request is request
        assert (request.alert_id, request.registrant_id) == (alert.id, registrant.id)
        assert answered.recipient.answer == "help" and answered.recipient.next_step_at is None
        assert await session.scalar(select(func.count()).select_from(HandoverRequest)) == 1
