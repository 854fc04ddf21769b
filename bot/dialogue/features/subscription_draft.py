"""The answers so far to the four steps of joining the warning list, as the draft keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from alerts.subscriptions import Channels

FLOW = "alerts"
NO_CONTACT = ""  # the person has no contact person (None: not asked yet)


@dataclass
class SubscriptionDraft:
    """Consent, the region (or one guessed from a shared place), channels, phones."""

    consent: bool = False
    guess: str | None = None  # a region code found from a shared place, waiting for a yes
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = None
    channels: Channels | None = None
    phone: str | None = None
    contact: str | None = None

    def forget_place(self) -> None:
        """Drop a guessed region and the place it came from."""
        self.guess = self.latitude = self.longitude = None

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
    def from_json(cls, stored: dict[str, Any]) -> Self:
        channels = stored.get("channels")
        return cls(
            consent=bool(stored.get("consent")),
            guess=stored.get("guess"),
            latitude=stored.get("latitude"),
            longitude=stored.get("longitude"),
            region=stored.get("region"),
            channels=Channels(channels) if channels is not None else None,
            phone=stored.get("phone"),
            contact=stored.get("contact"),
        )
