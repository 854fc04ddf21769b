"""Where an alert applies, compiled once from its CAP areas, and who is inside it.

The rules, in the order they are tried for a registrant:

1. KATO geocodes (valueName "KATO", any case): the registrant's code starts with the
   geocode's code (trailing zeros dropped: "750000000" is all of Almaty). A registrant known
   only at a coarser level (code "75", the alert for district "751110000") is included too:
   they may be inside, and a warning that reaches somebody outside the area costs less than
   one that misses somebody inside.
2. Polygons and circles (CAP order: latitude, longitude; circle radius in km) are tested
   against the registrant's own coordinates: polygons with shapely (edges boundary-inclusive),
   circles by great-circle distance.
3. A registrant without coordinates falls back to their region, because nobody on the list
   may be left out only because the list has no coordinates:
   - in a city of republican significance (Astana, Almaty, Shymkent) they are inside when the
     city's disc (its centre and radius from regions.toml) meets a polygon or circle;
   - in a region, they are inside when the area touches the region as far as `by_point` can
     tell (a polygon vertex, its inner point, a circle's centre or rim lies in the region),
     or when the region's administrative centre lies inside the area.
   Such matches are counted apart ("located by region only") so the dispatcher sees them.

An alert with no area, or only geocodes that are not KATO codes of Kazakhstan, targets
nobody: "no area" never means "everyone". What was ignored is listed in `notes`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely  # type: ignore[import-untyped]
from numpy.typing import NDArray
from shapely.geometry import Point as ShapelyPoint  # type: ignore[import-untyped]
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

from alerts.cap.model import CapAlert, Circle, Point
from alerts.registry import regions
from core.said import Said

KM_PER_DEGREE = math.pi / 180 * regions.EARTH_RADIUS_KM
_RIM_POINTS = 8


class Match(StrEnum):
    """Why a registrant is inside an alert's area."""

    CODE = "code"
    """By the region code against a KATO geocode."""
    PLACE = "place"
    """By the registrant's own coordinates against a polygon or circle."""
    REGION = "region"
    """By the region of a registrant without coordinates (rule 3)."""


@dataclass(frozen=True)
class Box:
    """A latitude/longitude box around a shape: the database's cheap first test."""

    south: float
    north: float
    west: float
    east: float


@dataclass(frozen=True)
class TargetArea:
    """An alert's area made ready for matching registrants against it."""

    prefixes: frozenset[str]
    """Normalised KATO codes of the geocodes."""
    polygons: tuple[BaseGeometry, ...]
    """In (longitude, latitude) axis order, as shapely expects x, y."""
    circles: tuple[Circle, ...]
    fallback_regions: frozenset[str]
    """Two-digit codes whose registrants without coordinates are inside (rule 3)."""
    notes: tuple[str, ...] = ()
    """Geocodes and shapes that were ignored, and why (no personal data)."""

    @property
    def empty(self) -> bool:
        return not (self.prefixes or self.polygons or self.circles)

    def boxes(self) -> list[Box]:
        found = [Box(p.bounds[1], p.bounds[3], p.bounds[0], p.bounds[2]) for p in self.polygons]
        found.extend(_circle_box(circle) for circle in self.circles)
        return found

    def match(self, region: str, latitude: float | None, longitude: float | None) -> Match | None:
        """How a registrant with this region code and place is inside, or None."""
        code = regions.normalise_code(region)
        if code is not None and any(
            code.startswith(prefix) or prefix.startswith(code) for prefix in self.prefixes
        ):
            return Match.CODE
        if latitude is not None and longitude is not None:
            if any(shapely.intersects_xy(p, longitude, latitude) for p in self.polygons):
                return Match.PLACE
            if any(_in_circle(circle, (latitude, longitude)) for circle in self.circles):
                return Match.PLACE
            return None
        if code is not None and code[:2] in self.fallback_regions:
            return Match.REGION
        return None


def compile_area(alert: CapAlert) -> TargetArea:
    """The union of every area of every info block of the alert."""
    prefixes: set[str] = set()
    polygons: list[BaseGeometry] = []
    circles: list[Circle] = []
    notes: list[str] = []
    for info in alert.infos:
        for area in info.areas:
            for name, value in area.geocodes:
                if name.strip().upper() != "KATO":
                    notes.append(Said("alerts.area.not_kato", name=name))
                    continue
                code = regions.normalise_code(value)
                if code is None:
                    notes.append(Said("alerts.area.not_a_region", value=value))
                    continue
                prefixes.add(code)
            for points in area.polygons:
                polygon = _polygon(points)
                if polygon is None:
                    notes.append(Said("alerts.area.empty_polygon", area=area.description))
                    continue
                polygons.append(polygon)
            for circle in area.circles:
                if circle.radius_km < 0 or not _valid_point((circle.latitude, circle.longitude)):
                    notes.append(Said("alerts.area.bad_circle", area=area.description))
                    continue
                circles.append(circle)
    for polygon in polygons:
        shapely.prepare(polygon)
    if not (prefixes or polygons or circles):
        notes.append(Said("alerts.area.nobody"))
    return TargetArea(
        prefixes=frozenset(prefixes),
        polygons=tuple(polygons),
        circles=tuple(circles),
        fallback_regions=_fallback_regions(polygons, circles),
        notes=tuple(dict.fromkeys(notes)),
    )


def _valid_point(point: Point) -> bool:
    latitude, longitude = point
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


def _polygon(points: Iterable[Point]) -> BaseGeometry | None:
    ring = [(longitude, latitude) for latitude, longitude in points]
    if len(set(ring)) < 3 or not all(_valid_point((lat, lon)) for lon, lat in ring):
        return None
    polygon: BaseGeometry = Polygon(ring)
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)  # a bow-tie drawn by hand still means its area
    return polygon if polygon.area > 0 else None


def _in_circle(circle: Circle, point: Point) -> bool:
    return regions.distance_km((circle.latitude, circle.longitude), point) <= circle.radius_km


def _circle_box(circle: Circle) -> Box:
    dlat = circle.radius_km / KM_PER_DEGREE
    widest = math.cos(math.radians(min(89.0, abs(circle.latitude) + dlat)))
    dlon = min(180.0, circle.radius_km / (KM_PER_DEGREE * widest))
    return Box(
        circle.latitude - dlat,
        circle.latitude + dlat,
        circle.longitude - dlon,
        circle.longitude + dlon,
    )


def _rim(circle: Circle) -> list[Point]:
    dlat = circle.radius_km / KM_PER_DEGREE
    dlon = circle.radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(circle.latitude)), 0.01))
    return [
        (
            circle.latitude + dlat * math.sin(2 * math.pi * k / _RIM_POINTS),
            circle.longitude + dlon * math.cos(2 * math.pi * k / _RIM_POINTS),
        )
        for k in range(_RIM_POINTS)
    ]


def _local_km(geometry: BaseGeometry, origin: Point) -> BaseGeometry:
    """The geometry on a flat plane in km around `origin`: exact enough across a city."""
    latitude, longitude = origin
    scale_x = KM_PER_DEGREE * math.cos(math.radians(latitude))

    def project(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(
            ((coords[:, 0] - longitude) * scale_x, (coords[:, 1] - latitude) * KM_PER_DEGREE)
        )

    return shapely.transform(geometry, project)


def _fallback_regions(polygons: list[BaseGeometry], circles: list[Circle]) -> frozenset[str]:
    """Regions whose registrants without coordinates count as inside (rule 3)."""
    if not polygons and not circles:
        return frozenset()
    found: set[str] = set()
    samples: list[Point] = []
    for polygon in polygons:
        samples.extend((lat, lon) for lon, lat in _vertices(polygon))
        inner = polygon.representative_point()
        samples.append((inner.y, inner.x))
    for circle in circles:
        samples.append((circle.latitude, circle.longitude))
        samples.extend(_rim(circle))
    for latitude, longitude in samples:
        region = regions.by_point(latitude, longitude)
        if region is not None:
            found.add(region.code)
    for region in regions.regions():
        if region.code in found:
            continue
        if region.city_radius_km is not None:
            if _meets_disc(polygons, circles, region.centre, region.city_radius_km):
                found.add(region.code)
        elif _meets_disc(polygons, circles, region.centre, 0.0):
            found.add(region.code)
    return frozenset(found)


def _vertices(geometry: BaseGeometry) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in shapely.get_coordinates(geometry)]


def _meets_disc(
    polygons: list[BaseGeometry], circles: list[Circle], centre: Point, radius_km: float
) -> bool:
    for circle in circles:
        gap = regions.distance_km((circle.latitude, circle.longitude), centre)
        if gap <= circle.radius_km + radius_km:
            return True
    origin = ShapelyPoint(0.0, 0.0)
    return any(_local_km(polygon, centre).distance(origin) <= radius_km for polygon in polygons)
