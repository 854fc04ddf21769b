"""How the help inbox says things to dispatchers: kinds, dangers, languages and status in words."""

from __future__ import annotations

from datetime import datetime

from alerts.help_inbox import OPEN, RESOLVED, HelpRequest
from core.help_thread import ThreadLine

LANGUAGES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}
DISABILITIES = {
    "blind": "blind",
    "low_vision": "low vision",
    "deaf": "deaf",
    "hard_of_hearing": "hard of hearing",
    "deafblind": "deafblind",
    "mobility": "moves with difficulty",
    "other": "other",
}
DANGERS = {
    "fire": "fire",
    "smoke": "smoke",
    "gas": "gas",
    "earthquake": "earthquake",
    "flood": "flood",
    "mudflow": "mudflow",
    "breathing": "cannot breathe",
    "bleeding": "bleeding",
    "intruder": "somebody is breaking in",
    "injury": "injured",
    "urgent": "urgent, no details",
    "alert": "not said (answer to an alert)",
}
MAP_ZOOM = 16


def kind_words(request: HelpRequest) -> str:
    if request.kind == "emergency" and request.alert_id is not None:
        return f"Needs help after alert {request.alert_id}"
    if request.kind == "emergency":
        return "Emergency"
    return "Asked for a person"


def language_words(code: str) -> str:
    return LANGUAGES.get(code, code)


def disability_words(kinds: tuple[str, ...]) -> str:
    if not kinds:
        return "not known"
    return ", ".join(DISABILITIES.get(kind, kind.replace("_", " ")) for kind in kinds)


def danger_words(danger: str | None) -> str:
    if danger is None:
        return "none said"
    return DANGERS.get(danger, danger.replace("_", " "))


def staff_name(actor: str | None) -> str:
    """ "staff:aigul" as "aigul"."""
    return (actor or "somebody").removeprefix("staff:")


def status_words(request: HelpRequest) -> str:
    if request.status == OPEN:
        return "Open: nobody has taken it"
    if request.status == RESOLVED:
        return f"Resolved by {staff_name(request.resolved_by)}"
    talking = "; talking with the person" if request.talking else ""
    return f"Taken by {staff_name(request.taken_by)}{talking}"


def map_link(request: HelpRequest) -> str | None:
    """The place on OpenStreetMap, with a marker; None when the request has no place."""
    if request.latitude is None or request.longitude is None:
        return None
    lat, lon = f"{request.latitude:.5f}", f"{request.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={MAP_ZOOM}/{lat}/{lon}"


CHANNELS = {
    "text": "wrote",
    "voice": "voice message, heard as",
    "location": "shared a place",
    "sms": "SMS",
    "button": "pressed",
    "telegram": "wrote",
}


def channel_words(line: ThreadLine) -> str:
    """How a thread message came: "voice message, heard as", "SMS", "aigul wrote"."""
    if line.sender == "staff":
        return f"{line.staff or 'staff'} wrote"
    return CHANNELS.get(line.channel, line.channel)


def person_words(request: HelpRequest) -> list[ThreadLine]:
    """What the person said, oldest first."""
    return [line for line in request.thread if line.sender == "person"]


def age_words(created_at: datetime, now: datetime) -> str:
    """How long ago a request came: "just now", "7 min ago", "2 h 5 min ago", "3 days ago"."""
    minutes = max(0, int((now - created_at).total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min ago" if rest else f"{hours} h ago"
    days = minutes // (24 * 60)
    return "1 day ago" if days == 1 else f"{days} days ago"


def place_link(text: str | None) -> str | None:
    """A shared place's "lat, lon" as a map link (None when it is not one)."""
    if not text:
        return None
    parts = text.split(",")
    try:
        lat, lon = (float(part) for part in parts)
    except ValueError:
        return None
    shown_lat, shown_lon = f"{lat:.5f}", f"{lon:.5f}"
    return (
        f"https://www.openstreetmap.org/?mlat={shown_lat}&mlon={shown_lon}"
        f"#map={MAP_ZOOM}/{shown_lat}/{shown_lon}"
    )
