"""The answers so far to a booking's questions, as the conversation's draft keeps them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar, Self

from bot.dialogue import drafts


@dataclass(frozen=True, slots=True)
class BookingDraft:
    """The service, when, where, and what the flow decided on the way."""

    FLOW: ClassVar[str] = "booking"

    service: str | None = None
    day: date | None = None  # a day named before its time
    starts_at: datetime | None = None
    hours: int | None = None
    destination: str | None = None  # where a taxi goes, in the person's words
    latitude: float | None = None  # a place shared from the phone
    longitude: float | None = None
    kind: str | None = None  # the kind of destination (a clinic, a court …)
    address: str | None = None  # where a service that comes to the person is needed
    region: str | None = None  # chosen during this booking (KATO code)
    region_guess: str | None = None  # found from a shared place, waiting for a yes
    ask_region: bool | None = None  # decided once, so the step count does not change
    offer_last_address: bool = True  # "Another address" turns the last one's offer off

    def without_place(self) -> Self:
        """This draft without the shared place's coordinates (an address was typed instead)."""
        return replace(self, latitude=None, longitude=None)

    def to_json(self) -> dict[str, Any]:
        """As stored: the flow's name and only the answers given."""
        stored: dict[str, Any] = {"flow": self.FLOW}
        for key in self.__slots__:
            value = getattr(self, key)
            if isinstance(value, date):  # a datetime is a date too
                value = value.isoformat()
            if value is not None and not (key == "offer_last_address" and value):
                stored[key] = value
        return stored

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Self:
        day = drafts.text(stored, "day")
        starts_at = drafts.text(stored, "starts_at")
        return cls(
            service=drafts.text(stored, "service"),
            day=date.fromisoformat(day) if day else None,
            starts_at=datetime.fromisoformat(starts_at) if starts_at else None,
            hours=drafts.whole(stored, "hours"),
            destination=drafts.text(stored, "destination"),
            latitude=drafts.number(stored, "latitude"),
            longitude=drafts.number(stored, "longitude"),
            kind=drafts.text(stored, "kind"),
            address=drafts.text(stored, "address"),
            region=drafts.text(stored, "region"),
            region_guess=drafts.text(stored, "region_guess"),
            ask_region=drafts.flag(stored, "ask_region"),
            offer_last_address=drafts.flag(stored, "offer_last_address") is not False,
        )
