"""The answers so far to the four steps of joining the warning list, as the draft keeps them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Self

from alerts.subscriptions import Channels
from bot.dialogue import drafts

FLOW = "alerts"
NO_CONTACT = ""  # the person has no contact person (None: not asked yet)


@dataclass(frozen=True, slots=True)
class SubscriptionDraft:
    """Consent, the region (or one guessed from a shared place), channels, phones."""

    FLOW: ClassVar[str] = FLOW

    consent: bool = False
    guess: str | None = None  # a region code found from a shared place, waiting for a yes
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = None
    channels: Channels | None = None
    phone: str | None = None
    contact: str | None = None

    def without_place(self) -> Self:
        """This draft without a guessed region and the place it came from."""
        return replace(self, guess=None, latitude=None, longitude=None)

    def to_json(self) -> dict[str, Any]:
        """As stored: the flow's name and only the answers given."""
        stored: dict[str, Any] = {"flow": FLOW}
        if self.consent:
            stored["consent"] = True
        for key in ("guess", "latitude", "longitude", "region", "phone", "contact"):
            value = getattr(self, key)
            if value is not None:
                stored[key] = value
        if self.channels is not None:
            stored["channels"] = self.channels.value
        return stored

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Self:
        channels = drafts.text(stored, "channels")
        return cls(
            consent=drafts.flag(stored, "consent") is True,
            guess=drafts.text(stored, "guess"),
            latitude=drafts.number(stored, "latitude"),
            longitude=drafts.number(stored, "longitude"),
            region=drafts.text(stored, "region"),
            channels=Channels(channels) if channels is not None else None,
            phone=drafts.text(stored, "phone"),
            contact=drafts.text(stored, "contact"),
        )
