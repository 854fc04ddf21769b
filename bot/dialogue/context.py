"""Everything one turn's handlers need: the person, their conversation, and the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from alerts.acks import Acks
from bookings.service import BookingService
from bot.dialogue.learning import Learning
from bot.dialogue.turns import Button, Reply, Turn
from bot.dialogue.vocabulary import Vocabulary
from content.articles import KnowledgeBase
from core.clock import Clock
from core.i18n import Catalogs
from core.localtime import to_local
from core.models import Conversation, Person
from core.people import People
from core.profile import Language, parse_language
from nlu.pipeline import NLU
from voice.service import Voice


def local_datetime_text(moment: datetime) -> str:
    """A moment as people in Kazakhstan read it: 23.11.2026 10:00, local time."""
    return to_local(moment).strftime("%d.%m.%Y %H:%M")


@dataclass(frozen=True, slots=True)
class Services:
    """Long-lived services every turn may use; built once in main()."""

    catalogs: Catalogs
    vocabulary: Vocabulary
    people: People
    clock: Clock
    nlu: NLU
    knowledge: KnowledgeBase
    voice: Voice
    bookings: BookingService
    acks: Acks
    """Records answers to warnings ("I'm safe", "I need help") and stops their follow-ups."""
    learning: Learning
    """Keeps unclear and corrected messages for staff, from people who agreed to it."""


@dataclass(slots=True)
class Context:
    """One turn: who, what they sent, where they are in the dialogue."""

    session: AsyncSession
    person: Person
    conversation: Conversation
    turn: Turn
    services: Services
    forgotten: bool = field(default=False)
    speak_in: Language | None = field(default=None)
    """This turn's language when the message was clearly in another than the profile's."""
    heard: bool = field(default=False)
    """The text of this turn was heard from a voice message (it is the transcript)."""
    draft_lost: bool = field(default=False)
    """A stored draft could not be read this turn and was dropped: the person is told."""

    @property
    def language(self) -> Language:
        """This turn's language, else the conversation's (its last message's), else the profile."""
        if self.speak_in is not None:
            return self.speak_in
        kept = parse_language(self.conversation.language)
        return kept or Language(self.person.language)

    def speak(self, language: Language) -> None:
        """The person wrote in `language`: answer in it from now on, follow-ups and later steps
        included, until they write in another or change their profile's."""
        self.speak_in = language
        profile = language.value == self.person.language
        self.conversation.language = None if profile else language.value

    def follow_profile(self) -> None:
        """The profile's language changed: the conversation follows it from this turn."""
        self.speak_in = None
        self.conversation.language = None

    def t(self, key: str, **params: object) -> str:
        """An interface string in the person's language."""
        return self.services.catalogs.text(self.language, key, **params)

    def reply(self, *parts: str, buttons: tuple[Button, ...] = (), remember: bool = True) -> Reply:
        return Reply(language=self.language, parts=parts, buttons=buttons, remember=remember)

    def numbered(self, options: list[tuple[str, str]]) -> tuple[Button, ...]:
        """Buttons for (label key, payload) pairs, numbered so "2" or "two" chooses the second."""
        return tuple(
            Button(f"{number}. {self.t(key)}", payload)
            for number, (key, payload) in enumerate(options, start=1)
        )

    def local_date(self, moment: datetime) -> str:
        return to_local(moment).strftime("%d.%m.%Y")

    @property
    def step(self) -> str | None:
        return self.conversation.step

    def go(self, step: str | None) -> None:
        """Remember which question the next message answers."""
        self.conversation.step = step
