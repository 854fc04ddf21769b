"""What a dialogue feature offers the engine, as data: its commands, its steps, the steps that
take a shared place, its yes-or-no steps, and the steps whose words say nothing about the
language to answer in.

Each module in `bot/dialogue/features/` exports one `FEATURE`; the engine lists them in a fixed
order and `assemble()` joins them into one set of routes, refusing a name given twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from bot.dialogue.context import Context
from bot.dialogue.turns import Reply

Command = Callable[[Context], Awaitable[Reply]]
StepHandler = Callable[[Context, str | None], Awaitable[Reply | None]]
"""Answers the message sent at a step; None when it did not fit (the question is asked again)."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class Feature:
    """One feature of the dialogue, described for the engine."""

    name: str
    commands: Mapping[str, Command] = field(default_factory=dict)
    """Command names (from /commands, menu buttons "cmd:…" and command words) and handlers."""
    steps: Mapping[str, StepHandler] = field(default_factory=dict)
    """The steps this feature asks, and the handler of the answer to each."""
    places: Mapping[str, StepHandler] = field(default_factory=dict)
    """Steps where a place shared from the phone is an answer, and the handler that takes it."""
    language_neutral: frozenset[str] = frozenset()
    """Steps whose free text (a place, a language's name) does not tell the language to use."""
    asked_in_every_language: frozenset[str] = frozenset()
    """Steps asked in all three languages: an answer that did not fit is told so in all three."""
    confirmations: frozenset[str] = frozenset()
    """Its yes-or-no steps: a voice answer there is listened for yes, no, "repeat" and numbers."""
    restart: Command | None = None
    """Asks the flow from its first question when its stored draft could not be read."""

    def __post_init__(self) -> None:
        for name in ("commands", "steps", "places"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        foreign = self.confirmations - self.steps.keys()
        if foreign:
            raise ValueError(
                f"feature {self.name!r} confirms steps it does not ask: {sorted(foreign)}"
            )


@dataclass(frozen=True, slots=True)
class Routes:
    """The features joined: where a command, a step or a shared place goes."""

    commands: Mapping[str, Command]
    steps: Mapping[str, StepHandler]
    places: Mapping[str, StepHandler]
    language_neutral: frozenset[str]
    asked_in_every_language: frozenset[str]
    confirmations: frozenset[str]
    """The yes-or-no steps of all features (see Feature.confirmations)."""
    restarts: Mapping[str, Command]
    """Step → its flow's restart (see Feature.restart)."""


def assemble(features: Iterable[Feature]) -> Routes:
    """Join the features' descriptions; a command or step named by two features is an error."""
    commands: dict[str, Command] = {}
    steps: dict[str, StepHandler] = {}
    places: dict[str, StepHandler] = {}
    neutral: set[str] = set()
    every_language: set[str] = set()
    confirmations: set[str] = set()
    restarts: dict[str, Command] = {}
    for feature in features:
        _join(commands, feature.commands, feature.name)
        _join(steps, feature.steps, feature.name)
        _join(places, feature.places, feature.name)
        neutral |= feature.language_neutral
        every_language |= feature.asked_in_every_language
        confirmations |= feature.confirmations
        if feature.restart is not None:
            restarts.update(dict.fromkeys(feature.steps, feature.restart))
    return Routes(
        MappingProxyType(commands),
        MappingProxyType(steps),
        MappingProxyType(places),
        frozenset(neutral),
        frozenset(every_language),
        frozenset(confirmations),
        MappingProxyType(restarts),
    )


def _join(into: dict[str, T], more: Mapping[str, T], feature: str) -> None:
    taken = into.keys() & more.keys()
    if taken:
        raise ValueError(f"feature {feature!r} names {sorted(taken)} again")
    into.update(more)
