"""Entities: the service asked about, disability group, dates and times, phone numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import phonenumbers

from core.profile import Language
from nlu.spelling import PhraseFinder
from nlu.text import fold
from nlu.when import parse_when

SERVICES = frozenset(
    {"sign_interpreter", "personal_assistant", "social_taxi", "sanatorium", "disability_assessment"}
)
_GROUP_WORDS = {
    "1": [
        "first",
        "1st",
        "one",
        "i",
        "бірінші",
        "первая",
        "первой",
        "первую",
        "1",
        "бир",
        "бирінші",
    ],
    "2": ["second", "2nd", "two", "ii", "екінші", "вторая", "второй", "вторую", "2", "екі"],
    "3": ["third", "3rd", "three", "iii", "үшінші", "третья", "третьей", "третью", "3", "үш"],
}
_GROUP_NOUN = r"(?:group|группа|группы|группу|группой|групп|топ|топқа|топтағы|топты|тобы|топтың)"


@dataclass(frozen=True, slots=True)
class Entity:
    """Something named in a message (a service, a day, a region): kind, value, words used."""

    entity: str
    value: str
    text: str


class EntityExtractor:
    """Finds entities with dictionaries from the training data and well-tested libraries."""

    def __init__(self, synonyms: Mapping[str, str]) -> None:
        pairs = [(fold(surface), value) for surface, value in synonyms.items() if fold(surface)]
        pairs.sort(key=lambda pair: len(pair[0]), reverse=True)  # longest surface first
        self._services = pairs
        # Misspellings are read only towards the services people can book: "other" names
        # everyday words ("massage") that a slip of the finger would reach ("message").
        self._mistyped = PhraseFinder((s, v) for s, v in pairs if v in SERVICES)
        self._groups = [
            (
                number,
                re.compile(
                    rf"\b{re.escape(fold(word))}\s*{_GROUP_NOUN}\b|\b{_GROUP_NOUN}\s*{re.escape(fold(word))}\b"
                ),
            )
            for number, words in _GROUP_WORDS.items()
            for word in words
        ]

    def extract(
        self, text: str, language: Language, *, now: datetime | None = None
    ) -> list[Entity]:
        folded = f" {fold(text)} "
        found: list[Entity] = []
        service = self._service(folded)
        if service is not None:
            found.append(service)
        for number, pattern in self._groups:
            match = pattern.search(folded)
            if match:
                found.append(Entity("group", number, match.group(0).strip()))
                break
        rest = text
        for phone in phonenumbers.PhoneNumberMatcher(text, "KZ"):
            number = phonenumbers.format_number(phone.number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Entity("phone", number, phone.raw_string))
            rest = rest.replace(phone.raw_string, " ")
        when = _datetime(rest, language, now)
        if when is not None:
            found.append(Entity("datetime", when, when))
        return found

    def _service(self, folded: str) -> Entity | None:
        """The service named, as typed or with a few letters wrong ("sign langage intepreter")."""
        for surface, value in self._services:
            if f" {surface} " in folded:
                return Entity("service", value, surface)
        found = self._mistyped.find(folded)
        return Entity("service", found[1], found[0]) if found is not None else None


def _datetime(text: str, language: Language, now: datetime | None) -> str | None:
    """The day and time named in the text (the same parser as bookings), as ISO text."""
    when = parse_when(text, language, now or datetime.now(UTC))
    moment = when.starts_at()
    if moment is not None:
        return moment.isoformat()
    if when.day is not None:
        return when.day.isoformat()
    if when.time is not None:
        return when.time.isoformat(timespec="minutes")
    return None
