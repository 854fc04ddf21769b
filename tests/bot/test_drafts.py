"""Drafts are typed: stored as JSON and read back whole; one that no longer reads is dropped,
logged without its contents, and the person is told and asked again."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
import structlog
from sqlalchemy import update

from bot.dialogue.features.booking_draft import BookingDraft
from bot.dialogue.features.booking_manage import CancelDraft
from bot.dialogue.features.region_choice import RegionDraft
from bot.dialogue.features.subscription_draft import SubscriptionDraft
from core.clock import ManualClock
from core.database import SessionFactory
from core.models import Conversation
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.bot.booking_talk import MONDAY_9_LOCAL, onboarded, person_of, say


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_9_LOCAL)


def test_a_whole_booking_draft_reads_back_as_it_was_saved() -> None:
    draft = BookingDraft(
        service="social_taxi",
        day=date(2026, 11, 24),
        starts_at=datetime(2026, 11, 24, 5, 0, tzinfo=UTC),
        hours=2,
        destination="Central clinic",
        latitude=43.24,
        longitude=76.91,
        kind="medical",
        address="Abay street 10",
        region="750000000",
        region_guess="710000000",
        ask_region=True,
        offer_last_address=False,
    )
    stored = draft.to_json()
    assert stored["flow"] == "booking" and stored["starts_at"] == "2026-11-24T05:00:00+00:00"
    assert BookingDraft.from_json(stored) == draft
    assert BookingDraft().to_json() == {"flow": "booking"}
    assert CancelDraft.from_json(CancelDraft(12).to_json()) == CancelDraft(12)
    assert RegionDraft.from_json(RegionDraft("750000000").to_json()) == RegionDraft("750000000")


@pytest.mark.parametrize(
    "draft", [BookingDraft(), SubscriptionDraft(), CancelDraft(12), RegionDraft("750000000")]
)
def test_drafts_are_frozen(draft: Any) -> None:
    """A step's answer makes a new draft; the one loaded is never filled in."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(draft, dataclasses.fields(draft)[0].name, None)


def test_a_typed_address_drops_the_shared_place_in_a_new_draft() -> None:
    shared = BookingDraft(service="social_taxi", latitude=43.24, longitude=76.91)
    typed = dataclasses.replace(shared.without_place(), address="Abay street 10")
    assert (typed.latitude, typed.longitude, typed.service) == (None, None, "social_taxi")
    assert (shared.latitude, shared.longitude) == (43.24, 76.91)


@pytest.mark.parametrize(
    "stored",
    [
        {"flow": "booking", "service": 7, "address": "Abay street 10"},  # a number for a name
        {"service": "sign_interpreter", "address": "Abay street 10"},  # saved before flows
        {"flow": "booking", "day": "the 24th", "address": "Abay street 10"},
    ],
)
async def test_a_booking_draft_that_no_longer_reads_is_dropped_and_asked_again(
    telegram: SandboxClient, sessions: SessionFactory, stored: dict[str, Any]
) -> None:
    user = await onboarded(telegram, "3", "3, 4")
    asked = await say(user, "book a sign language interpreter")
    assert message_text(asked[0]).startswith("Step 1 of")
    person = await person_of(sessions, user)
    async with sessions.begin() as session:
        await session.execute(
            update(Conversation).where(Conversation.person_id == person.id).values(draft=stored)
        )
    with structlog.testing.capture_logs() as logs:
        replies = await say(user, "tomorrow at 10", 2)
    assert message_text(replies[0]) == "Sorry, I lost your earlier answers. Let's start again."
    assert message_text(replies[1]).startswith("Which service do you need?")
    lost = [entry for entry in logs if entry["event"] == "draft.unreadable"]
    assert len(lost) == 1 and lost[0]["flow"] == "booking"
    assert set(lost[0]) <= {"event", "flow", "problem", "log_level"}
    assert "Abay" not in repr(logs)
    again = await say(user, "1")  # the flow goes on from its first question
    assert message_text(again[0]).startswith("Step ")
