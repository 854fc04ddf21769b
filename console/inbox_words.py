"""How the help inbox says things to dispatchers: kinds, dangers, languages and status in words."""

from __future__ import annotations

from alerts.help_inbox import OPEN, RESOLVED, HelpRequest

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
    return f"Taken by {staff_name(request.taken_by)}"


def map_link(request: HelpRequest) -> str | None:
    """The place on OpenStreetMap, with a marker; None when the request has no place."""
    if request.latitude is None or request.longitude is None:
        return None
    lat, lon = f"{request.latitude:.5f}", f"{request.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={MAP_ZOOM}/{lat}/{lon}"
