"""An alert composed by a dispatcher: what they typed in, checked field by field, as CAP.

`compose` never raises for a person's mistake: it returns the alert it could build (for the
live preview) with a problem for every field that stops it from being sent, and advice for
what is allowed but worth a second look (a long Kazakh sentence, a shape without a place
name). An alert without problems has passed `to_xml`, so it is valid CAP 1.2.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.area_input import AreaInputError, Shapes, parse_circles, parse_polygons
from alerts.cap.errors import CapError
from alerts.cap.export import to_xml
from alerts.cap.model import Area, CapAlert, Info, Reference
from alerts.registry import regions
from alerts.targeting import Audience
from alerts.templates import FALLBACK, TEMPLATE_CODE, AlertTemplate, by_key
from core.profile import LANGUAGES, Language
from core.said import Said, joined

CONSOLE_SENDER = "console@komek"
"""The CAP sender of every alert composed in the console (who composed it is in the log)."""

STATUSES = ("Actual", "Exercise", "Test")
MSG_TYPES = ("Alert", "Update", "Cancel")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
MAX_EXPIRES_HOURS = 168.0
LIMITS = {"headline": 160, "instruction": 1000, "description": 2000, "place": 200}
MAX_KAZAKH_WORDS = 15

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass(frozen=True)
class LanguageText:
    """What the dispatcher wrote for one language of an alert."""

    headline: str = ""
    instruction: str = ""
    description: str = ""
    place: str = ""
    """Where, in words, for the polygons and circles ("Medeu district, along the river")."""


@dataclass(frozen=True)
class Draft:
    """What the dispatcher typed. Empty severity, urgency, certainty or expiry: the template's."""

    template: str
    status: str
    msg_type: str = "Alert"
    references: tuple[Reference, ...] = ()
    texts: Mapping[Language, LanguageText] = field(default_factory=dict)
    severity: str = ""
    urgency: str = ""
    certainty: str = ""
    expires_hours: str = ""
    regions: tuple[str, ...] = ()
    """KATO codes (2 to 9 digits)."""
    polygons: str = ""
    circles: str = ""
    kinds: tuple[str, ...] = ()
    """Disability kinds to reach; none means everybody in the area."""
    languages: tuple[str, ...] = ()
    """Languages to reach; none means everybody in the area."""


@dataclass(frozen=True)
class Composed:
    """The compose form read into a CAP alert, with the problems that stop it and advice."""

    alert: CapAlert
    audience: Audience
    problems: Mapping[str, str]
    """Form field → what stops the alert from being sent, in words."""
    advice: Mapping[str, str]
    """Form field → what is allowed but worth checking."""
    document: bytes | None = None
    """The CAP 1.2 document, when there are no problems."""

    @property
    def ok(self) -> bool:
        return not self.problems


def compose(
    draft: Draft,
    *,
    now: datetime,
    identifier: str | None = None,
    sender: str = CONSOLE_SENDER,
) -> Composed:
    problems: dict[str, str] = {}
    advice: dict[str, str] = {}
    template = by_key(draft.template)
    if template is None:
        problems["template"] = Said("alerts.compose.choose_template")
        template = by_key(FALLBACK)
        assert template is not None
    status = _choice(draft.status, STATUSES, "status", problems, "")
    if not status:
        problems["status"] = Said("alerts.compose.choose_status")
    msg_type = _choice(draft.msg_type, MSG_TYPES, "msg_type", problems, "Alert")
    if msg_type != "Alert" and not draft.references:
        problems["references"] = Said("alerts.compose.needs_reference")
    texts = {language: _text(draft, language, msg_type, problems, advice) for language in LANGUAGES}
    severity = _choice(draft.severity, SEVERITIES, "severity", problems, template.severity)
    urgency = _choice(draft.urgency, URGENCIES, "urgency", problems, template.urgency)
    certainty = _choice(draft.certainty, CERTAINTIES, "certainty", problems, template.certainty)
    hours = _expires_hours(draft.expires_hours, template, problems)
    codes = _region_codes(draft.regions, problems)
    shapes = _shapes(draft, problems, advice)
    if msg_type != "Cancel" and not (codes or shapes.polygons or shapes.circles):
        problems.setdefault("area", Said("alerts.compose.choose_area"))
    if (shapes.polygons or shapes.circles) and not any(t.place for t in texts.values()):
        advice["place_kk"] = Said("alerts.compose.say_the_place")
    try:
        audience = Audience(kinds=frozenset(draft.kinds), languages=frozenset(draft.languages))
    except ValueError as error:  # only a changed form sends a kind or language not listed
        problems["audience"] = error.args[0]
        audience = Audience()
    sent = now.replace(microsecond=0)
    infos = tuple(
        Info(
            language=language.value,
            categories=(template.category,),
            event=template.text(language).event,
            response_types=(template.response,),
            urgency=urgency,
            severity=severity,
            certainty=certainty,
            event_codes=((TEMPLATE_CODE, template.key),),
            expires=sent + timedelta(hours=hours),
            headline=texts[language].headline or None,
            instruction=texts[language].instruction or None,
            description=texts[language].description or None,
            areas=_areas(language, codes, shapes, texts[language].place),
        )
        for language in LANGUAGES
    )
    alert = CapAlert(
        identifier=identifier or str(uuid.uuid4()),
        sender=sender,
        sent=sent,
        status=status or "Actual",
        msg_type=msg_type,
        scope="Public",
        references=draft.references,
        infos=infos,
    )
    document = None
    if not problems:
        try:
            document = to_xml(alert)
        except CapError as error:
            problems["cap"] = Said("alerts.compose.not_cap", reason=error.reason)
    return Composed(alert, audience, problems, advice, document)


def _choice(
    value: str, allowed: tuple[str, ...], name: str, problems: dict[str, str], default: str
) -> str:
    value = value.strip()
    if not value:
        return default
    if value not in allowed:
        problems[name] = Said("alerts.compose.choose_one_of", allowed=", ".join(allowed))
        return default
    return value


def _clean(value: str) -> str:
    """Without control characters XML cannot carry, and without spaces at either end."""
    return _CONTROL.sub("", value.replace("\r\n", "\n")).strip()


def _text(
    draft: Draft,
    language: Language,
    msg_type: str,
    problems: dict[str, str],
    advice: dict[str, str],
) -> LanguageText:
    given = draft.texts.get(language, LanguageText())
    cleaned = LanguageText(
        headline=" ".join(_clean(given.headline).split()),
        instruction=_clean(given.instruction),
        description=_clean(given.description),
        place=" ".join(_clean(given.place).split()),
    )
    in_language = Said(f"alerts.in_language.{language.value}")
    if not cleaned.headline:
        problems[f"headline_{language.value}"] = Said(
            "alerts.compose.write_headline", in_language=in_language
        )
    if not cleaned.instruction and msg_type != "Cancel":
        problems[f"instruction_{language.value}"] = Said(
            "alerts.compose.write_instruction", in_language=in_language
        )
    for part, limit in LIMITS.items():
        size = len(getattr(cleaned, part))
        if size > limit:
            problems[f"{part}_{language.value}"] = Said(
                "alerts.compose.too_long", limit=limit, size=size
            )
    if language is Language.KK:
        for part in ("headline", "instruction", "description"):
            longest = _longest_sentence(getattr(cleaned, part))
            if longest > MAX_KAZAKH_WORDS:
                advice[f"{part}_kk"] = Said(
                    "alerts.compose.long_kazakh_sentence", longest=longest, most=MAX_KAZAKH_WORDS
                )
    return cleaned


def _longest_sentence(text: str) -> int:
    return max((len(_WORD.findall(part)) for part in _SENTENCE_END.split(text)), default=0)


def _expires_hours(value: str, template: AlertTemplate, problems: dict[str, str]) -> float:
    value = value.strip().replace(",", ".")
    if not value:
        return template.expires_hours
    try:
        hours = float(value)
    except ValueError:
        hours = math.nan
    if not (math.isfinite(hours) and 0 < hours <= MAX_EXPIRES_HOURS):
        problems["expires_hours"] = Said("alerts.compose.hours", most=f"{MAX_EXPIRES_HOURS:g}")
        return template.expires_hours
    return hours


def _region_codes(values: tuple[str, ...], problems: dict[str, str]) -> tuple[str, ...]:
    """Normalised KATO codes (no trailing zeros), in the order chosen, without repeats."""
    codes: list[str] = []
    for value in values:
        code = regions.normalise_code(value)
        if code is None:
            problems["regions"] = Said("alerts.compose.not_kato", value=value.strip()[:12])
            continue
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _shapes(draft: Draft, problems: dict[str, str], advice: dict[str, str]) -> Shapes:
    polygons = circles = Shapes()
    try:
        polygons = parse_polygons(draft.polygons)
    except AreaInputError as error:
        problems["polygons"] = _sentence(error.reason)
    try:
        circles = parse_circles(draft.circles)
    except AreaInputError as error:
        problems["circles"] = _sentence(error.reason)
    if polygons.notes:
        advice["polygons"] = joined(polygons.notes)
    if circles.notes:
        advice["circles"] = joined(circles.notes)
    return Shapes(polygons.polygons, circles.circles)


def _sentence(reason: str) -> str:
    """A reason as a sentence: `Said` ones are written so; others get a capital and a stop."""
    return reason if isinstance(reason, Said) else reason[:1].upper() + reason[1:] + "."


def _areas(
    language: Language, codes: tuple[str, ...], shapes: Shapes, place: str
) -> tuple[Area, ...]:
    areas = [
        Area(_region_description(code, language), geocodes=(("KATO", code.ljust(9, "0")),))
        for code in codes
    ]
    if shapes.polygons or shapes.circles:
        areas.append(
            Area(
                place or _shape_description(shapes, language),
                polygons=shapes.polygons,
                circles=shapes.circles,
            )
        )
    return tuple(areas)


def _region_description(code: str, language: Language) -> str:
    region = regions.by_code(code)
    assert region is not None  # checked by _region_codes
    name = region.name(language)
    return name if len(code) == 2 else f"{name} (KATO {code.ljust(9, '0')})"


def _shape_description(shapes: Shapes, language: Language) -> str:
    """The regions the shapes' centres lie in, as far as `regions.by_point` can tell."""
    centres = [(c.latitude, c.longitude) for c in shapes.circles]
    for polygon in shapes.polygons:
        points = polygon[:-1]
        centres.append(
            (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        )
    names = dict.fromkeys(
        region.name(language)
        for region in (regions.by_point(lat, lon) for lat, lon in centres)
        if region is not None
    )
    return ", ".join(names) or _OUTSIDE[language]


_OUTSIDE = {
    Language.KK: "Белгіленген аймақ",
    Language.RU: "Отмеченная зона",
    Language.EN: "The marked area",
}


def from_template(template: AlertTemplate) -> Draft:
    """A new alert as the template has it; the dispatcher still chooses the status and area."""
    return Draft(
        template=template.key,
        status="",
        texts={
            language: LanguageText(
                headline=template.text(language).headline,
                instruction=template.text(language).instruction,
            )
            for language in LANGUAGES
        },
        severity=template.severity,
        urgency=template.urgency,
        certainty=template.certainty,
        expires_hours=f"{template.expires_hours:g}",
    )
