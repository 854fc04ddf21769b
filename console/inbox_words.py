"""How the help inbox says things to dispatchers: kinds, dangers, languages and status in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alerts.help_requests import OPEN, RESOLVED, HelpRequest
from console.language import Words
from console.place_region import region_at
from core.help_thread import ThreadLine

DISABILITIES = (
    "blind",
    "low_vision",
    "deaf",
    "hard_of_hearing",
    "deafblind",
    "mobility",
    "other",
)
DANGERS = (
    "fire",
    "smoke",
    "gas",
    "earthquake",
    "flood",
    "mudflow",
    "breathing",
    "bleeding",
    "intruder",
    "injury",
    "urgent",
    "alert",
)
CHANNELS = ("text", "voice", "location", "sms", "button", "telegram")
MAP_ZOOM = 16


def staff_name(actor: str | None) -> str:
    """ "staff:aigul" as "aigul"."""
    return (actor or "somebody").removeprefix("staff:")


def map_link(request: HelpRequest) -> str | None:
    """The place on OpenStreetMap, with a marker; None when the request has no place."""
    if request.latitude is None or request.longitude is None:
        return None
    lat, lon = f"{request.latitude:.5f}", f"{request.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={MAP_ZOOM}/{lat}/{lon}"


def person_words(request: HelpRequest) -> list[ThreadLine]:
    """What the person said, oldest first."""
    return [line for line in request.thread if line.sender == "person"]


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


@dataclass(frozen=True)
class InboxWords:
    """The inbox's words in the dispatcher's language (the templates call these)."""

    t: Words

    def kind_words(self, request: HelpRequest) -> str:
        if request.kind == "emergency" and request.alert_id is not None:
            return self.t("console.inbox.kind.after_alert", id=request.alert_id)
        if request.kind == "emergency":
            return self.t("console.inbox.kind.emergency")
        return self.t("console.inbox.kind.person")

    def language_words(self, code: str) -> str:
        known = code in ("kk", "ru", "en")
        return self.t(f"console.language.name.{code}") if known else code

    def disability_words(self, kinds: tuple[str, ...]) -> str:
        if not kinds:
            return self.t("console.inbox.not_known")
        return ", ".join(
            self.t(f"console.inbox.disability.{kind}") if kind in DISABILITIES else kind
            for kind in kinds
        )

    def danger_words(self, danger: str | None) -> str:
        if danger is None:
            return self.t("console.inbox.danger.none")
        if danger in DANGERS:
            return self.t(f"console.inbox.danger.{danger}")
        return danger.replace("_", " ")

    def region_words(self, request: HelpRequest) -> str | None:
        """The region the shared place lies in, in words; None when there is no place."""
        if request.latitude is None or request.longitude is None:
            return None
        code = region_at(request.latitude, request.longitude)
        if code is None:
            return self.t("console.inbox.outside_regions")
        return self.t("console.inbox.in_region", region=self.t.region(code))

    def status_words(self, request: HelpRequest) -> str:
        if request.status == OPEN:
            return self.t("console.inbox.status.open")
        if request.status == RESOLVED:
            return self.t("console.inbox.status.resolved", name=staff_name(request.resolved_by))
        key = "console.inbox.status.talking" if request.talking else "console.inbox.status.taken"
        return self.t(key, name=staff_name(request.taken_by))

    def channel_words(self, line: ThreadLine) -> str:
        """How a thread message came: "voice message, heard as", "SMS", "aigul wrote"."""
        if line.sender == "staff":
            return self.t("console.inbox.channel.staff", name=line.staff or "—")
        if line.channel in CHANNELS:
            return self.t(f"console.inbox.channel.{line.channel}")
        return line.channel

    def age_words(self, created_at: datetime, now: datetime) -> str:
        """How long ago: "just now", "7 min ago", "2 h 5 min ago", "3 days ago"."""
        minutes = max(0, int((now - created_at).total_seconds() // 60))
        if minutes < 1:
            return self.t("console.inbox.age.now")
        if minutes < 60:
            return self.t("console.inbox.age.minutes", minutes=minutes)
        if minutes < 24 * 60:
            hours, rest = divmod(minutes, 60)
            if rest:
                return self.t("console.inbox.age.hours_minutes", hours=hours, minutes=rest)
            return self.t("console.inbox.age.hours", hours=hours)
        days = minutes // (24 * 60)
        if days == 1:
            return self.t("console.inbox.age.one_day")
        return self.t("console.inbox.age.days", days=days)

    # the parts that need no words, so templates reach everything through one object
    staff_name = staticmethod(staff_name)
    map_link = staticmethod(map_link)
    place_link = staticmethod(place_link)
    person_words = staticmethod(person_words)
