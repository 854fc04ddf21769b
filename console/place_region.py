"""Which of Kazakhstan's 20 regions a shared place lies in, from the region outlines.

The help inbox shows coordinates; a dispatcher also needs words ("Region: Almaty") to know
at a glance where the person is. The outlines are simplified to about 2 km, so a place just
outside every outline (a border, a lake shore) goes to the nearest one within GRACE degrees.
"""

from __future__ import annotations

from functools import cache

import shapely  # type: ignore[import-untyped]
from shapely.geometry import Point  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

from alerts.registry.outlines import outlines

GRACE = 0.05
"""Degrees (about 5 km) a place may lie outside the nearest outline and still be in it."""


@cache
def _prepared() -> dict[str, BaseGeometry]:
    shapes = outlines()
    for shape in shapes.values():
        shapely.prepare(shape)
    return shapes


def region_at(latitude: float, longitude: float) -> str | None:
    """The two-digit KATO code of the region around the place; None outside all of them.

    The cities (Almaty, Astana, Shymkent) lie inside the regions around them, so they are
    asked first."""
    point = Point(longitude, latitude)
    shapes = _prepared()
    cities = [code for code in shapes if code in ("71", "75", "79")]
    for code in cities + [code for code in shapes if code not in cities]:
        if shapes[code].contains(point):
            return code
    nearest = min(shapes, key=lambda code: shapes[code].distance(point))
    return nearest if shapes[nearest].distance(point) <= GRACE else None
