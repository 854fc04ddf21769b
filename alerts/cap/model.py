"""A CAP alert as plain data: what the parser produces, the exporter writes and the rest reads.

Field names follow the OASIS CAP 1.2 element names (snake_case). Times are timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    """CAP `status`: only Actual alerts reach people as real warnings."""

    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(StrEnum):
    """CAP `msgType`: a new alert, an update or a cancel of earlier ones, or an acknowledgement
    or error."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


class Severity(StrEnum):
    """CAP `severity`, from Extreme to Unknown."""

    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"


@dataclass(frozen=True)
class Circle:
    """A circle: centre in WGS 84 degrees and radius in kilometres (CAP's "lat,lon radius")."""

    latitude: float
    longitude: float
    radius_km: float


Point = tuple[float, float]
"""(latitude, longitude) in WGS 84 degrees, CAP's order."""


@dataclass(frozen=True)
class Area:
    """A CAP `area`: its description, polygons, circles and geocodes (KATO codes here)."""

    description: str
    polygons: tuple[tuple[Point, ...], ...] = ()
    circles: tuple[Circle, ...] = ()
    geocodes: tuple[tuple[str, str], ...] = ()
    """(valueName, value) pairs; Kazakhstan's regions use valueName "KATO"."""
    altitude: float | None = None
    ceiling: float | None = None


@dataclass(frozen=True)
class Resource:
    """A CAP `resource`: a file that goes with the alert (its address, never its content)."""

    description: str
    mime_type: str
    size: int | None = None
    uri: str | None = None
    digest: str | None = None
    deref_uri: str | None = None
    """The resource itself, base64-encoded, when the sender embedded it (CAP `derefUri`)."""


@dataclass(frozen=True)
class Info:
    """One language's version of the message."""

    language: str = "en-US"
    categories: tuple[str, ...] = ("Safety",)
    event: str = ""
    response_types: tuple[str, ...] = ()
    urgency: str = "Unknown"
    severity: str = "Unknown"
    certainty: str = "Unknown"
    audience: str | None = None
    event_codes: tuple[tuple[str, str], ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()
    resources: tuple[Resource, ...] = ()
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True)
class Reference:
    """An earlier message this one updates or cancels."""

    sender: str
    identifier: str
    sent: datetime


@dataclass(frozen=True)
class CapAlert:
    """One CAP 1.2 message as this system reads and writes it (only the fields it uses)."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str = "Public"
    source: str | None = None
    restriction: str | None = None
    addresses: str | None = None
    codes: tuple[str, ...] = ()
    note: str | None = None
    references: tuple[Reference, ...] = ()
    incidents: str | None = None
    infos: tuple[Info, ...] = field(default_factory=tuple)
    version: str = "1.2"
    """The CAP version the document was written in (1.1 documents are read too)."""
