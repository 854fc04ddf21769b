"""Writing a `CapAlert` as a CAP 1.2 document.

Always CAP 1.2, UTF-8, elements in the schema's order, times in CAP's form
(`alerts.cap.times`), numbers written so they read back as the same floats. Alerts read from
CAP 1.1 are written as 1.2 as well: 1.2 is what receivers are required to accept, and every
1.1 value fits in it. An XML-DSig signature of the original is not carried over, since it
would no longer match.

Nothing leaves this module unchecked: the model must pass `rules.check`, and the finished
document is read back by `parse` (schema and rules), so an alert a dispatcher composed can
never go out as CAP another system would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from alerts.cap import rules
from alerts.cap.errors import CapError
from alerts.cap.model import Area, CapAlert, Circle, Info, Point, Resource
from alerts.cap.parse import CAP_12, parse
from alerts.cap.times import format_time
from core.said import Said

__all__ = ["to_xml"]


def to_xml(alert: CapAlert) -> bytes:
    """`alert` as a valid CAP 1.2 document; `CapError` if the model cannot make one."""
    rules.check(alert)
    try:
        root = _alert(alert)
    except ValueError as error:  # lxml refuses control characters XML cannot carry
        raise CapError(Said("alerts.cap.cannot_write", problem=str(error))) from None
    document: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    parse(document)
    return document


def _alert(alert: CapAlert) -> Any:
    root = etree.Element(_tag("alert"), nsmap={None: CAP_12})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", format_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _optional(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _optional(root, "restriction", alert.restriction)
    _optional(root, "addresses", alert.addresses)
    for code in alert.codes:
        _add(root, "code", code)
    _optional(root, "note", alert.note)
    _optional(
        root,
        "references",
        " ".join(
            f"{ref.sender},{ref.identifier},{format_time(ref.sent)}" for ref in alert.references
        ),
    )
    _optional(root, "incidents", alert.incidents)
    for info in alert.infos:
        _info(root, info)
    return root


def _info(parent: Any, info: Info) -> None:
    element = etree.SubElement(parent, _tag("info"))
    _add(element, "language", info.language)
    for category in info.categories:
        _add(element, "category", category)
    _add(element, "event", info.event)
    for response_type in info.response_types:
        _add(element, "responseType", response_type)
    _add(element, "urgency", info.urgency)
    _add(element, "severity", info.severity)
    _add(element, "certainty", info.certainty)
    _optional(element, "audience", info.audience)
    _pairs(element, "eventCode", info.event_codes)
    for name in ("effective", "onset", "expires"):
        moment = getattr(info, name)
        if moment is not None:
            _add(element, name, format_time(moment))
    _optional(element, "senderName", info.sender_name)
    _optional(element, "headline", info.headline)
    _optional(element, "description", info.description)
    _optional(element, "instruction", info.instruction)
    _optional(element, "web", info.web)
    _optional(element, "contact", info.contact)
    _pairs(element, "parameter", info.parameters)
    for resource in info.resources:
        _resource(element, resource)
    for area in info.areas:
        _area(element, area)


def _resource(parent: Any, resource: Resource) -> None:
    element = etree.SubElement(parent, _tag("resource"))
    _add(element, "resourceDesc", resource.description)
    _add(element, "mimeType", resource.mime_type)
    if resource.size is not None:
        _add(element, "size", str(resource.size))
    _optional(element, "uri", resource.uri)
    _optional(element, "derefUri", resource.deref_uri)
    _optional(element, "digest", resource.digest)


def _area(parent: Any, area: Area) -> None:
    element = etree.SubElement(parent, _tag("area"))
    _add(element, "areaDesc", area.description)
    for polygon in area.polygons:
        _add(element, "polygon", " ".join(_point(point) for point in polygon))
    for circle in area.circles:
        _add(element, "circle", _circle(circle))
    _pairs(element, "geocode", area.geocodes)
    if area.altitude is not None:
        _add(element, "altitude", _number(area.altitude))
    if area.ceiling is not None:
        _add(element, "ceiling", _number(area.ceiling))


def _pairs(parent: Any, name: str, pairs: Iterable[tuple[str, str]]) -> None:
    for value_name, value in pairs:
        element = etree.SubElement(parent, _tag(name))
        _add(element, "valueName", value_name)
        _add(element, "value", value)


def _tag(name: str) -> str:
    return f"{{{CAP_12}}}{name}"


def _add(parent: Any, name: str, text: str) -> None:
    etree.SubElement(parent, _tag(name)).text = text


def _optional(parent: Any, name: str, text: str | None) -> None:
    """Written only when it says something: the parser reads an empty element as absent."""
    if text is not None and text.strip():
        _add(parent, name, text)


def _number(value: float) -> str:
    """Shortest decimal that reads back as the same float, never in exponent form."""
    return format(Decimal(repr(value)), "f")


def _point(point: Point) -> str:
    latitude, longitude = point
    return f"{_number(latitude)},{_number(longitude)}"


def _circle(circle: Circle) -> str:
    return f"{_point((circle.latitude, circle.longitude))} {_number(circle.radius_km)}"
