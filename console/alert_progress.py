"""An alert's figures as the staff see them: the counts table, the state and a summary in words.

The page renders them and the event stream sends the same figures as JSON, so the table and
the live updates can never disagree on what a cell means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alerts.models import AlertState, Channel, DeliveryState
from alerts.service import AlertStatus
from console.language import Words

CHANNELS: tuple[tuple[str, str], ...] = tuple(
    (channel.value, f"console.channel.{channel.value}")
    for channel in (Channel.TELEGRAM, Channel.SMS, Channel.CONTACT_SMS)
)
"""Each channel and the catalog key of its name."""
STATES: tuple[tuple[str, str], ...] = tuple(
    (state.value, f"console.delivery.{state.value}")
    for state in (
        DeliveryState.QUEUED,
        DeliveryState.SENDING,
        DeliveryState.SENT,
        DeliveryState.DELIVERED,
        DeliveryState.FAILED,
        DeliveryState.EXPIRED,
    )
)
"""Each delivery state and the catalog key of its name."""
ANSWERS: tuple[tuple[str, str], ...] = tuple(
    (answer, f"console.answer.{answer}")
    for answer in ("safe", "need_help", "unclear", "no_answer", "waiting")
)
"""Each kind of answer counted and the catalog key of its words."""
ALERT_STATES = frozenset(state.value for state in AlertState)
SENT_STATES = frozenset({AlertState.SENDING.value, AlertState.SENT.value})
"""States of an alert that went out: it can be followed, updated and cancelled."""


def state_words(words: Words, state: str) -> str:
    """An alert's state in the page's language (the alerts list's words)."""
    return words(f"console.alerts.state.{state}") if state in ALERT_STATES else state


@dataclass(frozen=True)
class Progress:
    """The figures, in no language: one poller serves viewers in kk, ru and en alike."""

    state: str
    recipients: int
    cells: dict[str, dict[str, int]]
    """Channel → delivery state → count, with every channel and state present."""
    channel_totals: dict[str, int]
    state_totals: dict[str, int]
    answers: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.channel_totals.values())

    def as_json(self, words: Words) -> dict[str, Any]:
        """The figures for the event stream, with the words in the viewer's language."""
        return {
            "state": self.state,
            "state_text": state_words(words, self.state),
            "recipients": self.recipients,
            "cells": self.cells,
            "channel_totals": self.channel_totals,
            "state_totals": self.state_totals,
            "total": self.total,
            "answers": self.answers,
            "summary": summary(words, self.recipients, self.state_totals, self.answers),
        }


def progress_of(status: AlertStatus) -> Progress:
    cells = {
        channel: {state: status.deliveries.get(channel, {}).get(state, 0) for state, _ in STATES}
        for channel, _ in CHANNELS
    }
    state_totals = {state: sum(cells[channel][state] for channel in cells) for state, _ in STATES}
    answers = {
        "safe": status.safe,
        "need_help": status.need_help,
        "unclear": status.unclear,
        "no_answer": status.no_answer,
        "waiting": status.waiting,
    }
    return Progress(
        state=status.state,
        recipients=status.recipients,
        cells=cells,
        channel_totals={channel: sum(row.values()) for channel, row in cells.items()},
        state_totals=state_totals,
        answers=answers,
    )


def summary(words: Words, recipients: int, states: dict[str, int], answers: dict[str, int]) -> str:
    """One short paragraph for a screen reader: messages out, failures, answers."""
    total = sum(states.values())
    if total == 0:
        return words("console.progress.none")
    n = words.number
    out = states["sent"] + states["delivered"]
    parts = [words("console.progress.sent", out=n(out), total=n(total))]
    for state in ("delivered", "failed", "expired"):
        if states[state]:
            parts.append(words(f"console.progress.{state}", count=n(states[state])))
    people = words(
        "console.progress.people_summary",
        people=n(recipients),
        safe=n(answers["safe"]),
        help=n(answers["need_help"]),
        unclear=n(answers["unclear"]),
        no_answer=n(answers["no_answer"]),
        waiting=n(answers["waiting"]),
    )
    return " ".join((*parts, people))
