"""Polygons and circles as a dispatcher pastes them: CAP text or GeoJSON, read into CAP shapes.

Polygons: "lat,lon lat,lon …" (CAP order, latitude first; points separated by spaces or
line breaks; several polygons separated by an empty line), or a GeoJSON Polygon,
MultiPolygon, Feature or FeatureCollection (GeoJSON order, longitude first). A ring that is
not closed is closed; holes are ignored (the whole outline is warned: more people, not fewer).

Circles: one a line, "lat,lon radius_km" (as CAP writes them, "km" may follow), or a GeoJSON
Point followed by the radius in km, or a GeoJSON Feature with a Point and a `radius_km`
property (or `radius` in metres, as map tools export circles).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from alerts.cap.model import Circle, Point
from core.said import Said

MAX_TEXT = 200_000
MAX_POINTS = 5000
MAX_CIRCLES = 50
MAX_RADIUS_KM = 1000.0

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_PAIR = re.compile(rf"({_NUMBER})\s*,\s*({_NUMBER})")
_CIRCLE = re.compile(rf"\s*({_NUMBER})\s*,\s*({_NUMBER})\s*[\s,]\s*({_NUMBER})\s*(?:km)?\s*", re.I)
_BLANK_LINE = re.compile(r"\n\s*\n")
_SEPARATORS = re.compile(r"[\s;]*")


class AreaInputError(ValueError):
    """Pasted text that is not a polygon or a circle; `reason` says what to fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Shapes:
    """Polygons and circles read from what a dispatcher typed or pasted."""

    polygons: tuple[tuple[Point, ...], ...] = ()
    circles: tuple[Circle, ...] = ()
    notes: tuple[str, ...] = ()
    """Things worth knowing that do not stop the alert (holes ignored, axes maybe swapped)."""


def parse_polygons(text: str) -> Shapes:
    text = _bounded(text)
    if not text:
        return Shapes()
    notes: list[str] = []
    if text.startswith("{"):
        rings = list(_geojson_rings(_json(text), notes))
    else:
        rings = [_text_ring(block) for block in _BLANK_LINE.split(text) if block.strip()]
    if sum(len(ring) for ring in rings) > MAX_POINTS:
        raise AreaInputError(Said("alerts.area_input.too_many_points", most=MAX_POINTS))
    polygons = tuple(_closed(ring) for ring in rings)
    if not polygons:
        raise AreaInputError(Said("alerts.area_input.no_polygon"))
    if _looks_swapped(point for polygon in polygons for point in polygon):
        notes.append(_SWAPPED)
    return Shapes(polygons=polygons, notes=tuple(notes))


def parse_circles(text: str) -> Shapes:
    text = _bounded(text)
    if not text:
        return Shapes()
    if text.startswith("{"):
        circles = [_geojson_circle(text)]
    else:
        circles = [_text_circle(line) for line in text.splitlines() if line.strip()]
    if len(circles) > MAX_CIRCLES:
        raise AreaInputError(Said("alerts.area_input.too_many_circles", most=MAX_CIRCLES))
    centres = ((circle.latitude, circle.longitude) for circle in circles)
    return Shapes(circles=tuple(circles), notes=(_SWAPPED,) if _looks_swapped(centres) else ())


def polygons_text(polygons: tuple[tuple[Point, ...], ...]) -> str:
    """Polygons as the console shows them: CAP text, one polygon a paragraph."""
    return "\n\n".join(" ".join(f"{lat:g},{lon:g}" for lat, lon in ring) for ring in polygons)


def circles_text(circles: tuple[Circle, ...]) -> str:
    return "\n".join(f"{c.latitude:g},{c.longitude:g} {c.radius_km:g}" for c in circles)


_SWAPPED = Said("alerts.area.swapped")


def _bounded(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise AreaInputError(Said("alerts.area_input.too_long", most=MAX_TEXT))
    return text.strip()


def _point(latitude: float, longitude: float) -> Point:
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise AreaInputError(Said("alerts.area_input.not_a_number"))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise AreaInputError(
            Said("alerts.area_input.not_on_earth", point=f"{latitude:g},{longitude:g}")
        )
    return (latitude, longitude)


def _text_ring(block: str) -> list[Point]:
    points = [_point(float(m[1]), float(m[2])) for m in _PAIR.finditer(block)]
    leftover = _SEPARATORS.fullmatch(_PAIR.sub(" ", block))
    if leftover is None:
        stray = _PAIR.sub(" ", block).split()
        shown = next((word for word in stray if word.strip(";")), "")
        raise AreaInputError(Said("alerts.area_input.cannot_read_point", shown=shown[:30]))
    return points


def _closed(ring: list[Point]) -> tuple[Point, ...]:
    if len(set(ring)) < 3:
        raise AreaInputError(Said("alerts.area_input.few_points"))
    if ring[0] != ring[-1]:
        ring = [*ring, ring[0]]
    return tuple(ring)


def _text_circle(line: str) -> Circle:
    match = _CIRCLE.fullmatch(line)
    if match is None:
        raise AreaInputError(Said("alerts.area_input.cannot_read_circle", shown=line.strip()[:40]))
    latitude, longitude = _point(float(match[1]), float(match[2]))
    return Circle(latitude, longitude, _radius(float(match[3])))


def _radius(radius_km: float) -> float:
    if not (math.isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        raise AreaInputError(Said("alerts.area_input.radius", most=f"{MAX_RADIUS_KM:g}"))
    return radius_km


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise AreaInputError(_not_json(error)) from None


_JSON_PROBLEMS = {
    "Expecting value": "value",
    "Expecting property name enclosed in double quotes": "name",
    "Expecting ',' delimiter": "comma",
    "Expecting ':' delimiter": "colon",
    "Unterminated string starting at": "string",
    "Extra data": "extra",
}
"""What the JSON reader says, as the catalog's words for it (`alerts.json.*`)."""


def _not_json(error: ValueError) -> Said:
    """The JSON reader's complaint in words any reader's language has: where, and what."""
    if not isinstance(error, json.JSONDecodeError):
        return Said("alerts.area_input.not_json_at_all")
    problem = Said(f"alerts.json.{_JSON_PROBLEMS.get(error.msg, 'other')}")
    return Said(
        "alerts.area_input.not_json", line=error.lineno, column=error.colno, problem=problem
    )


def _geometries(data: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(data, dict):
        raise AreaInputError(Said("alerts.area_input.geojson_object"))
    kind = data.get("type")
    if kind == "FeatureCollection":
        for feature in data.get("features") or []:
            yield from _geometries(feature)
    elif kind == "Feature":
        yield from _geometries(data.get("geometry"))
    elif kind == "GeometryCollection":
        for geometry in data.get("geometries") or []:
            yield from _geometries(geometry)
    else:
        yield data


def _lonlat(value: Any) -> Point:
    if not (isinstance(value, list) and len(value) >= 2):
        raise AreaInputError(Said("alerts.area_input.position"))
    longitude, latitude = value[0], value[1]
    if not (_is_number(longitude) and _is_number(latitude)):
        raise AreaInputError(Said("alerts.area_input.position_numbers"))
    try:
        return _point(float(latitude), float(longitude))
    except OverflowError:
        raise AreaInputError(Said("alerts.area_input.not_a_number")) from None


def _geojson_rings(data: Any, notes: list[str]) -> Iterator[list[Point]]:
    for geometry in _geometries(data):
        kind = geometry.get("type")
        coordinates = geometry.get("coordinates")
        if kind == "Polygon":
            polygons = [coordinates]
        elif kind == "MultiPolygon":
            polygons = coordinates if isinstance(coordinates, list) else []
        else:
            raise AreaInputError(Said("alerts.area_input.not_polygon_kind", kind=kind))
        for polygon in polygons:
            if not (isinstance(polygon, list) and polygon and isinstance(polygon[0], list)):
                raise AreaInputError(Said("alerts.area_input.rings"))
            if len(polygon) > 1:
                notes.append(Said("alerts.area.holes"))
            yield [_lonlat(position) for position in polygon[0]]


def _geojson_circle(text: str) -> Circle:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except ValueError as error:
        raise AreaInputError(_not_json(error)) from None
    rest = text[end:].strip().removesuffix("km").strip()
    properties = data.get("properties") if isinstance(data, dict) else None
    (geometry,) = list(_geometries(data))[:1] or [{}]
    if geometry.get("type") != "Point":
        raise AreaInputError(Said("alerts.area_input.circle_point"))
    latitude, longitude = _lonlat(geometry.get("coordinates"))
    if rest:
        try:
            radius = float(rest)
        except ValueError:
            raise AreaInputError(Said("alerts.area_input.radius_text", shown=rest[:20])) from None
    elif isinstance(properties, dict) and _is_number(properties.get("radius_km")):
        radius = float(properties["radius_km"])
    elif isinstance(properties, dict) and _is_number(properties.get("radius")):
        radius = float(properties["radius"]) / 1000
    else:
        raise AreaInputError(Said("alerts.area_input.no_radius"))
    return Circle(latitude, longitude, _radius(radius))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _looks_swapped(points: Iterator[Point]) -> bool:
    """Every point is outside Kazakhstan, and would be inside with the axes swapped."""
    seen = list(points)
    return bool(seen) and all(
        not _in_kazakhstan(lat, lon) and _in_kazakhstan(lon, lat) for lat, lon in seen
    )


def _in_kazakhstan(latitude: float, longitude: float) -> bool:
    return 40.5 <= latitude <= 55.5 and 46.0 <= longitude <= 87.5
