"""What the dialogue notices for staff to teach the assistant (see `nlu.review`).

A message is kept when the assistant was unsure of it, or when the person's next move says the
answer missed: they wrote "that's not what I asked", asked the same again, or asked for a
human, within `WINDOW` of the answer. For that, the last answer to a question in free text is
remembered in this process for a short while: only for people who agreed to be kept, and
masked like what is stored. (A restart forgets it: nothing is lost but a chance to learn.)
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.message_masking import mask
from core.models import Person
from nlu import review
from nlu.review import Guess, Reason
from nlu.text import fold

V = TypeVar("V")
WINDOW = timedelta(minutes=3)
"""A repeat, a correction or a request for a human this soon after an answer is about it."""
MOST_REMEMBERED = 10_000
SAME_QUESTION = 0.6
"""Share of words two messages have in common (of all their words) to be the same question."""


@dataclass(frozen=True, slots=True)
class Answered:
    """A recent answer remembered to notice a repeated question or a correction."""

    guess: Guess
    """Masked."""
    at: datetime
    words: frozenset[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(text).split())


class Learning:
    """Keeps the messages that teach the assistant, for people who agreed to it."""

    def __init__(self, clock: Clock, *, keep_days: int, window: timedelta = WINDOW) -> None:
        self._clock = clock
        self.keep_days = keep_days
        """How long a kept message is kept (retention), to tell the person."""
        self._window = window
        self._answered: OrderedDict[int, Answered] = OrderedDict()
        self._asked: OrderedDict[int, tuple[int, datetime]] = OrderedDict()
        """Person → the kept message the bot asked "which one did you mean?" about, and when."""

    async def unsure(self, session: AsyncSession, person: Person, guess: Guess) -> None:
        """The assistant asks which topic was meant: keep the message."""
        self._answered.pop(person.id, None)
        now = self._clock.now()
        item = await review.keep(session, person, guess, Reason.UNSURE, now=now)
        if item is not None:
            _bounded(self._asked, person.id, (item.id, now))

    async def chose(self, session: AsyncSession, person: Person, intent: str) -> None:
        """The person picked a topic from the bot's choice: note it beside the kept message."""
        asked = self._asked.pop(person.id, None)
        if asked is not None and self._clock.now() - asked[1] <= self._window:
            await review.note_choice(session, asked[0], intent)

    async def answered(self, session: AsyncSession, person: Person, guess: Guess) -> None:
        """A question was answered: keep the previous one if this repeats it; remember this."""
        previous = self._recent(person)
        words = _words(guess.text)
        if previous is not None and _similar(previous.words, words):
            await self._keep(session, person, previous, Reason.REPEATED)
            return
        if not await review.agreed(session, person):
            return
        masked = Guess(mask(guess.text), guess.language, guess.intent, guess.confidence)
        _bounded(self._answered, person.id, Answered(masked, self._clock.now(), words))

    async def corrected(self, session: AsyncSession, person: Person) -> bool:
        """The person said the last answer missed; True if there was one to keep."""
        previous = self._recent(person)
        if previous is None:
            return False
        await self._keep(session, person, previous, Reason.CORRECTED)
        return True

    async def handed_over(self, session: AsyncSession, person: Person) -> None:
        """The person asked for a human: the last answer may have missed."""
        previous = self._recent(person)
        if previous is not None:
            await self._keep(session, person, previous, Reason.HANDOVER)

    def forget(self, person: Person) -> None:
        self._answered.pop(person.id, None)
        self._asked.pop(person.id, None)

    def _recent(self, person: Person) -> Answered | None:
        previous = self._answered.get(person.id)
        if previous is None:
            return None
        if self._clock.now() - previous.at > self._window:
            del self._answered[person.id]
            return None
        return previous

    async def _keep(
        self, session: AsyncSession, person: Person, previous: Answered, reason: Reason
    ) -> None:
        self._answered.pop(person.id, None)  # kept once, for the first sign it missed
        await review.keep(session, person, previous.guess, reason, now=self._clock.now())


def _similar(first: frozenset[str], second: frozenset[str]) -> bool:
    if not first or not second:
        return False
    return len(first & second) / len(first | second) >= SAME_QUESTION


def _bounded(memory: OrderedDict[int, V], key: int, value: V) -> None:
    """Remember `value` as the newest; the oldest go past MOST_REMEMBERED."""
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > MOST_REMEMBERED:
        memory.popitem(last=False)
