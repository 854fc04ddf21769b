"""What goes into a dialogue turn and what comes out, independent of any channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.profile import Language
from voice.service import VoiceNote


class TurnKind(StrEnum):
    """What a person sent: typed text, a pressed button, a voice note, other media, a place."""

    TEXT = "text"
    BUTTON = "button"
    VOICE = "voice"
    MEDIA = "media"
    LOCATION = "location"


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """One message from a person: typed text, a pressed button, or something else."""

    user_id: int
    kind: TurnKind = TurnKind.TEXT
    text: str = ""
    payload: str | None = None
    client_language: str | None = None
    audio: bytes | None = None
    """A voice message or audio file, when it could be fetched."""
    audio_size: int | None = None
    """Its size as the channel reports it, known before fetching."""
    location: tuple[float, float] | None = None
    """A shared place: latitude and longitude."""
    name: str | None = None
    """How the person shows in Telegram (first and last name as they set them). Kept only on a
    help request, for the dispatcher to address them by."""


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its visible words and what pressing it means."""

    label: str
    payload: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """What the assistant says back: one idea per part, buttons under the last part."""

    language: Language
    parts: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    remember: bool = field(default=True, compare=False)
    voice: VoiceNote | None = field(default=None, compare=False)
    """The spoken form of the whole reply, for people who get answers by voice."""
    spoken: str | None = field(default=None, compare=False)
    """The words the voice note says: the parts, then the buttons read out."""

    @property
    def is_empty(self) -> bool:
        return not self.parts

    @property
    def text(self) -> str:
        """All parts as one text, as a terminal or a voice note would present them."""
        return "\n\n".join(self.parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language.value,
            "parts": list(self.parts),
            "buttons": [[b.label, b.payload] for b in self.buttons],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(
            language=Language(data["language"]),
            parts=tuple(data["parts"]),
            buttons=tuple(Button(label, payload) for label, payload in data["buttons"]),
        )
