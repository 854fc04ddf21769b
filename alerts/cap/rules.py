"""What the CAP specification requires in prose, beyond what its XML schema can express.

The OASIS schema types most fields as plain strings, so a document can be schema-valid and
still unusable: an Update that does not say what it updates (invalid/07 in the test data),
a polygon that does not close. Validators in real use (Google's CAP validator, the Canadian
CAP-CP and Australian CAP-AU profiles) refuse these; so do we, on reading a document and
before exporting one. Section numbers are those of CAP 1.2.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from alerts.cap.errors import CapError
from alerts.cap.model import Area, CapAlert, Circle, Point, Resource

_NAME = re.compile(r"[^\s,<&]+")
"""§3.2.1 identifier and sender: no spaces, commas or restricted characters (< and &)."""

REFERRING_TYPES = frozenset({"Update", "Cancel", "Ack", "Error"})
"""§3.2.1 msgType: these act on "the earlier message(s) identified in <references>"."""


def check(alert: CapAlert) -> None:
    """Raise `CapError` for the first rule `alert` breaks."""
    _name("identifier", alert.identifier)
    _name("sender", alert.sender)
    if alert.scope == "Restricted" and not alert.restriction:
        raise CapError("restriction: required when scope is Restricted")
    if alert.scope == "Private" and not alert.addresses:
        raise CapError("addresses: required when scope is Private")
    if alert.msg_type in REFERRING_TYPES and not alert.references:
        raise CapError(
            f"references: required when msgType is {alert.msg_type} (the earlier message)"
        )
    for reference in alert.references:
        _name("references: sender", reference.sender)
        _name("references: identifier", reference.identifier)
    for info in alert.infos:
        for area in info.areas:
            _area(area)
        _resources(info.resources)


def _name(what: str, value: str) -> None:
    if not _NAME.fullmatch(value):
        raise CapError(f"{what}: {value[:60]!r} must be non-empty, without spaces, commas, < or &")


def _area(area: Area) -> None:
    """§3.3.4: polygons are closed rings of at least four points; circles "lat,lon radius"."""
    where = f"area {area.description[:40]!r}"
    for polygon in area.polygons:
        if len(polygon) < 4:
            raise CapError(f"{where}: a polygon needs at least 4 points, it has {len(polygon)}")
        if polygon[0] != polygon[-1]:
            raise CapError(f"{where}: a polygon's first and last points must be the same")
        _points(where, polygon)
    for circle in area.circles:
        _circle(where, circle)
    if area.ceiling is not None and area.altitude is None:
        raise CapError(f"{where}: ceiling is only allowed together with altitude")
    for height in (area.altitude, area.ceiling):
        if height is not None and not math.isfinite(height):
            raise CapError(f"{where}: altitude and ceiling must be numbers")


def _points(where: str, points: Iterable[Point]) -> None:
    for latitude, longitude in points:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise CapError(f"{where}: point {latitude},{longitude} is not on the globe")


def _circle(where: str, circle: Circle) -> None:
    _points(where, [(circle.latitude, circle.longitude)])
    if not (0 <= circle.radius_km < math.inf):
        raise CapError(f"{where}: circle radius {circle.radius_km} is not a distance")


def _resources(resources: Iterable[Resource]) -> None:
    for resource in resources:
        if resource.size is not None and resource.size < 0:
            raise CapError(f"resource {resource.description[:40]!r}: size is negative")
