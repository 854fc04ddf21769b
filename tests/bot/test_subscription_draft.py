"""The warning-list draft is stored as the same JSON it always was, and read back whole."""

from __future__ import annotations

from alerts.subscriptions import Channels
from bot.dialogue.features.subscription_draft import NO_CONTACT, SubscriptionDraft

SAVED_BEFORE_TYPING = {
    "flow": "alerts",
    "consent": True,
    "region": "750000000",
    "latitude": 43.24,
    "longitude": 76.91,
    "channels": "both",
    "phone": "+77011234567",
    "contact": "",
}


def test_a_draft_saved_before_it_was_typed_reads_back_and_saves_the_same() -> None:
    draft = SubscriptionDraft.from_json(SAVED_BEFORE_TYPING)
    assert draft.consent and draft.region == "750000000"
    assert draft.channels is Channels("both") and draft.contact == NO_CONTACT
    assert draft.to_json() == SAVED_BEFORE_TYPING


def test_a_new_draft_stores_only_the_flow_and_answers_given() -> None:
    draft = SubscriptionDraft()
    assert draft.to_json() == {"flow": "alerts"}
    placed = SubscriptionDraft(guess="710000000", latitude=51.1, longitude=71.4, consent=True)
    assert placed.without_place().to_json() == {"flow": "alerts", "consent": True}
    assert placed.to_json()["guess"] == "710000000", "the draft itself is not changed"
