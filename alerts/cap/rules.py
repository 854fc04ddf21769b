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
from core.said import Said

_NAME = re.compile(r"[^\s,<&]+")
"""§3.2.1 identifier and sender: no spaces, commas or restricted characters (< and &)."""

REFERRING_TYPES = frozenset({"Update", "Cancel", "Ack", "Error"})
"""§3.2.1 msgType: these act on "the earlier message(s) identified in <references>"."""


def check(alert: CapAlert) -> None:
    """Raise `CapError` for the first rule `alert` breaks."""
    _name("identifier", alert.identifier)
    _name("sender", alert.sender)
    if alert.scope == "Restricted" and not alert.restriction:
        raise CapError(Said("alerts.cap.restriction_needed"))
    if alert.scope == "Private" and not alert.addresses:
        raise CapError(Said("alerts.cap.addresses_needed"))
    if alert.msg_type in REFERRING_TYPES and not alert.references:
        raise CapError(Said("alerts.cap.references_needed", msg_type=alert.msg_type))
    for reference in alert.references:
        _name("references: sender", reference.sender)
        _name("references: identifier", reference.identifier)
    for info in alert.infos:
        for area in info.areas:
            _area(area)
        _resources(info.resources)


def _name(what: str, value: str) -> None:
    if not _NAME.fullmatch(value):
        raise CapError(Said("alerts.cap.bad_name", what=what, value=repr(value[:60])))


def _area(area: Area) -> None:
    """§3.3.4: polygons are closed rings of at least four points; circles "lat,lon radius"."""
    where = Said("alerts.cap.area", name=repr(area.description[:40]))
    for polygon in area.polygons:
        if len(polygon) < 4:
            raise CapError(Said("alerts.cap.polygon_few", where=where, count=len(polygon)))
        if polygon[0] != polygon[-1]:
            raise CapError(Said("alerts.cap.polygon_open", where=where))
        _points(where, polygon)
    for circle in area.circles:
        _circle(where, circle)
    if area.ceiling is not None and area.altitude is None:
        raise CapError(Said("alerts.cap.ceiling_alone", where=where))
    for height in (area.altitude, area.ceiling):
        if height is not None and not math.isfinite(height):
            raise CapError(Said("alerts.cap.height_not_number", where=where))


def _points(where: Said, points: Iterable[Point]) -> None:
    for latitude, longitude in points:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise CapError(
                Said("alerts.cap.off_globe", where=where, latitude=latitude, longitude=longitude)
            )


def _circle(where: Said, circle: Circle) -> None:
    _points(where, [(circle.latitude, circle.longitude)])
    if not (0 <= circle.radius_km < math.inf):
        raise CapError(Said("alerts.cap.bad_radius", where=where, radius=circle.radius_km))


def _resources(resources: Iterable[Resource]) -> None:
    for resource in resources:
        if resource.size is not None and resource.size < 0:
            raise CapError(Said("alerts.cap.negative_size", name=repr(resource.description[:40])))
