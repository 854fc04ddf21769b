"""The alert page's pictures, drawn on the server as SVG: the area over Kazakhstan's regions
with the places people who need help shared, and the answers over time.

No tiles, scripts or outside addresses: plain SVG the page's CSP allows, each with a title and
a description for screen readers, and the same figures as tables beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache

from markupsafe import Markup
from shapely.geometry import MultiPolygon, Polygon  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, Executable, and_, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.cap.model import CapAlert
from alerts.models import AlertRecipient, Answer
from alerts.registry.outlines import outlines
from alerts.registry.regions import by_code, by_point
from console.language import Words
from core.clock import as_utc
from core.models import HandoverRequest
from core.profile import Language

WIDTH = 640
WEST, EAST, SOUTH, NORTH = 46.4, 87.4, 40.5, 55.5
"""The country's bounding box in degrees."""
_SCALE = WIDTH / ((EAST - WEST) * math.cos(math.radians(48.0)))
HEIGHT = round((NORTH - SOUTH) * _SCALE)
STEPS = 12
"""Moments on the answers chart, from the first message to now."""
CHART_W, CHART_H, PAD = 640, 240, 40


@dataclass(frozen=True)
class Place:
    """Where a "need help" answer came from."""

    latitude: float
    longitude: float
    region: str
    """The KATO code of the region it lies in ("" when outside every one)."""


@dataclass(frozen=True)
class AreaPicture:
    """An alert's area drawn on the map: regions, shapes and places of help requests."""

    regions: frozenset[str]
    """Two-digit KATO codes the alert names."""
    shapes: tuple[BaseGeometry, ...]
    """Its polygons and circles (longitude, latitude)."""
    help_places: tuple[Place, ...]


@dataclass(frozen=True)
class Moment:
    """The answers counted at one moment, for the chart."""

    at: datetime
    safe: int
    need_help: int
    waiting: int


def _circle(latitude: float, longitude: float, radius_km: float) -> Polygon:
    """A circle on the ground as a polygon in degrees (an ellipse on the map)."""
    dlat = radius_km / 111.2
    dlon = dlat / max(0.1, math.cos(math.radians(latitude)))
    return Polygon(
        (longitude + dlon * math.cos(a), latitude + dlat * math.sin(a))
        for a in (2 * math.pi * i / 48 for i in range(48))
    )


def area_of(cap: CapAlert) -> tuple[frozenset[str], tuple[BaseGeometry, ...]]:
    codes: set[str] = set()
    shapes: list[BaseGeometry] = []
    for area in (area for info in cap.infos[:1] for area in info.areas):
        codes |= {value[:2] for name, value in area.geocodes if name.upper() == "KATO"}
        shapes += [Polygon((lon, lat) for lat, lon in ring) for ring in area.polygons]
        shapes += [_circle(c.latitude, c.longitude, c.radius_km) for c in area.circles]
    return frozenset(codes), tuple(shapes)


async def help_places(session: AsyncSession, alert_id: int) -> tuple[Place, ...]:
    """The places shared by people who asked for help after this alert, with their region."""
    rows = await session.execute(
        select(HandoverRequest.latitude, HandoverRequest.longitude).where(
            HandoverRequest.alert_id == alert_id
        )
    )
    places = []
    for latitude, longitude in rows:
        if latitude is None or longitude is None:
            continue
        region = by_point(latitude, longitude)
        places.append(Place(latitude, longitude, region.code if region else ""))
    return tuple(places)


async def first_message(session: AsyncSession, alert_id: int) -> datetime | None:
    """When the alert's first recipient was planned (None before the send)."""
    first = await session.scalar(
        select(func.min(AlertRecipient.created_at)).where(AlertRecipient.alert_id == alert_id)
    )
    return as_utc(first) if first is not None else None


def moments_between(first: datetime, now: datetime) -> list[datetime]:
    """STEPS moments from the first message to now (at least a minute apart in all)."""
    start = as_utc(first)
    end = max(as_utc(now), start + timedelta(minutes=1))
    return [start + (end - start) * step / STEPS for step in range(1, STEPS + 1)]


@cache
def _counts_at_moments() -> Executable:
    """One pass over an alert's rows: at each moment, planned, safe, need help and answered.

    Built once with bound parameters (`alert_id`, `at0`…): building the 48 sums anew for
    every drawing cost more of the event loop than the database's count."""
    at_type = AlertRecipient.__table__.c.created_at.type
    answered = AlertRecipient.answered_at

    def count(*condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((and_(*condition), 1), else_=0)), 0)

    columns = []
    for step in range(STEPS):
        at = bindparam(f"at{step}", type_=at_type)
        columns += [
            count(AlertRecipient.created_at <= at),
            count(answered <= at, AlertRecipient.answer == Answer.SAFE),
            count(answered <= at, AlertRecipient.answer == Answer.HELP),
            count(answered <= at),
        ]
    return select(*columns).where(AlertRecipient.alert_id == bindparam("alert_id"))


async def answers_over_time(
    session: AsyncSession, alert_id: int, first: datetime | None, now: datetime
) -> list[Moment]:
    """Cumulative answers at STEPS moments from the first message to now (empty before it).

    Counted by the database in one aggregate query over the alert's rows (the page asks for
    them again during a send, and the fan-out shares this process's event loop)."""
    if first is None:
        return []
    moments = moments_between(first, now)
    values: dict[str, object] = {f"at{step}": at for step, at in enumerate(moments)}
    row = (await session.execute(_counts_at_moments(), values | {"alert_id": alert_id})).one()
    counts = [int(value) for value in row]
    return [
        Moment(at, safe, need_help, max(0, planned - answered_by))
        for at, (planned, safe, need_help, answered_by) in zip(
            moments, (counts[i : i + 4] for i in range(0, len(counts), 4)), strict=True
        )
    ]


def _xy(longitude: float, latitude: float) -> tuple[float, float]:
    x = (longitude - WEST) * _SCALE * math.cos(math.radians(48.0))
    return round(x, 1), round((NORTH - latitude) * _SCALE, 1)


def _path(geometry: BaseGeometry) -> str:
    polygons: Iterable[Polygon] = (
        geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    )
    parts = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = [_xy(lon, lat) for lon, lat, *_ in ring.coords]
            parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


@cache
def _region_paths() -> dict[str, str]:
    """Each region's outline as SVG path data, drawn once per process (they never change)."""
    return {code: _path(outline) for code, outline in outlines().items()}


@lru_cache(maxsize=64)
def _region_layer(language: Language, shaded: frozenset[str]) -> Markup:
    """The 20 regions, named in `language`, those in `shaded` marked as in the alert's area
    (the cities last, on top); made once per language and area."""
    cities = [code for code in outlines() if code in ("71", "75", "79")]
    layer = []
    for code in [c for c in outlines() if c not in cities] + cities:
        found = by_code(code)
        layer.append(
            Markup('<path class="region{}" d="{}"><title>{}</title></path>').format(
                " in-area" if code in shaded else "",
                _region_paths()[code],
                found.name(language) if found else code,
            )
        )
    return Markup("").join(layer)


def _svg(kind: str, width: int, height: int, title: str, desc: str, body: list[Markup]) -> Markup:
    """An SVG picture with its title and description named for screen readers."""
    head = Markup(
        '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>'
    ).format(kind, width, height, kind, kind, kind, title, kind, desc)
    return head + Markup("").join(body) + Markup("</svg>")


def map_svg(words: Words, picture: AreaPicture, *, show_places: bool) -> Markup:
    """Kazakhstan's regions, the alert's area shaded, and (for dispatchers) the help places."""
    named = ", ".join(words.region(code) for code in sorted(picture.regions))
    desc = words(
        "console.pictures.map_desc",
        regions=named or words("console.approve.no_area"),
        shapes=len(picture.shapes),
        places=len(picture.help_places),
    )
    body = [_region_layer(words.language, picture.regions)]
    for shape_ in picture.shapes:
        body.append(Markup('<path class="area-shape" d="{}"/>').format(_path(shape_)))
    if show_places:
        for place in picture.help_places:
            x, y = _xy(place.longitude, place.latitude)
            body.append(Markup('<circle class="help-place" cx="{}" cy="{}" r="5"/>').format(x, y))
    return _svg("area-map", WIDTH, HEIGHT, words("console.pictures.map"), desc, body)


def _line(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def chart_svg(words: Words, moments: Sequence[Moment]) -> Markup:
    """Safe, need help and not answered yet over time, as three lines."""
    if not moments:
        return Markup("")
    top = max(max(m.safe, m.need_help, m.waiting) for m in moments) or 1
    inner_w, inner_h = CHART_W - 2 * PAD, CHART_H - 2 * PAD
    bottom = PAD + inner_h

    def point(index: int, value: int) -> tuple[float, float]:
        x = PAD + inner_w * index / max(1, len(moments) - 1)
        return x, PAD + inner_h * (1 - value / top)

    last = moments[-1]
    desc = words(
        "console.pictures.chart_desc",
        safe=words.number(last.safe),
        help=words.number(last.need_help),
        waiting=words.number(last.waiting),
        time=words.when(last.at, time_only=True),
    )
    text = Markup('<text class="{}" x="{}" y="{}">{}</text>')
    body = [
        Markup('<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            PAD, bottom, PAD + inner_w, bottom
        ),
        Markup('<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            PAD, PAD, PAD, bottom
        ),
        text.format("tick", 4, PAD + 4, words.number(top)),
        text.format("tick", 4, bottom + 4, words.number(0)),
    ]
    for key in ("safe", "need_help", "waiting"):
        points = [point(i, getattr(m, key)) for i, m in enumerate(moments)]
        body.append(
            Markup('<polyline class="series series-{}" points="{}"/>').format(key, _line(points))
        )
        x, y = points[-1]
        label_x = round(min(x + 4, CHART_W - 110), 1)
        body.append(
            text.format(
                f"series-label series-{key}",
                label_x,
                round(y - 4, 1),
                words(f"console.answer.{key}"),
            )
        )
    for index in (0, len(moments) - 1):
        x, _ = point(index, 0)
        when = words.when(moments[index].at, time_only=True)
        body.append(text.format("tick", round(x, 1), CHART_H - 10, when))
    return _svg("answers-chart", CHART_W, CHART_H, words("console.pictures.chart"), desc, body)
