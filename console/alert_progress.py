"""An alert's figures as the staff see them: the counts table, the state and a summary in words.

The page renders them and the event stream sends the same figures as JSON, so the table and
the live updates can never disagree on what a cell means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alerts.models import AlertState, Channel, DeliveryState
from alerts.service import AlertStatus

CHANNELS: tuple[tuple[str, str], ...] = (
    (Channel.TELEGRAM.value, "Telegram"),
    (Channel.SMS.value, "SMS"),
    (Channel.CONTACT_SMS.value, "SMS to contact person"),
)
STATES: tuple[tuple[str, str], ...] = (
    (DeliveryState.QUEUED.value, "Queued"),
    (DeliveryState.SENDING.value, "Sending"),
    (DeliveryState.SENT.value, "Sent"),
    (DeliveryState.DELIVERED.value, "Delivered"),
    (DeliveryState.FAILED.value, "Failed"),
    (DeliveryState.EXPIRED.value, "Expired"),
)
ANSWERS: tuple[tuple[str, str], ...] = (
    ("safe", "I'm safe"),
    ("need_help", "I need help"),
    ("unclear", "Unclear: asked again"),
    ("no_answer", "No answer after every step"),
    ("waiting", "Not answered yet"),
)
STATE_WORDS = {
    AlertState.DRAFT.value: "Draft: not sent",
    AlertState.AWAITING_APPROVAL.value: "Waiting for approval: not sent yet",
    AlertState.SENDING.value: "Approved: the list of recipients is being prepared and sent",
    AlertState.SENT.value: "Approved: every recipient is on the list",
    AlertState.REJECTED.value: "Rejected: not sent",
}
SENT_STATES = frozenset({AlertState.SENDING.value, AlertState.SENT.value})
"""States of an alert that went out: it can be followed, updated and cancelled."""


def state_words(state: str) -> str:
    return STATE_WORDS.get(state, state)


def _number(value: int) -> str:
    return f"{value:,}"


@dataclass(frozen=True)
class Progress:
    state: str
    state_text: str
    recipients: int
    cells: dict[str, dict[str, int]]
    """Channel → delivery state → count, with every channel and state present."""
    channel_totals: dict[str, int]
    state_totals: dict[str, int]
    answers: dict[str, int]
    summary: str

    @property
    def total(self) -> int:
        return sum(self.channel_totals.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "state_text": self.state_text,
            "recipients": self.recipients,
            "cells": self.cells,
            "channel_totals": self.channel_totals,
            "state_totals": self.state_totals,
            "total": self.total,
            "answers": self.answers,
            "summary": self.summary,
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
        state_text=state_words(status.state),
        recipients=status.recipients,
        cells=cells,
        channel_totals={channel: sum(row.values()) for channel, row in cells.items()},
        state_totals=state_totals,
        answers=answers,
        summary=summary(status.recipients, state_totals, answers),
    )


def summary(recipients: int, states: dict[str, int], answers: dict[str, int]) -> str:
    """One short paragraph for a screen reader: messages out, failures, answers."""
    total = sum(states.values())
    if total == 0:
        return "No messages yet."
    out = states["sent"] + states["delivered"]
    parts = [f"{_number(out)} of {_number(total)} messages sent"]
    if states["delivered"]:
        parts.append(f"{_number(states['delivered'])} confirmed delivered")
    if states["failed"]:
        parts.append(f"{_number(states['failed'])} failed")
    if states["expired"]:
        parts.append(f"{_number(states['expired'])} expired")
    people = (
        f"{_number(recipients)} people: {_number(answers['safe'])} safe, "
        f"{_number(answers['need_help'])} need help, "
        f"{_number(answers['unclear'])} unclear, "
        f"{_number(answers['no_answer'])} did not answer, "
        f"{_number(answers['waiting'])} not answered yet."
    )
    return ", ".join(parts) + ". " + people
