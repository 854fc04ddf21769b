"""A `CapAlert` as JSON-safe data and back: the `alerts.document` column holds this.

Stored as plain data rather than CAP XML so the database can be queried into (events,
areas, expiry) and so reading a stored alert needs no schema validation. The round trip is
exact: `from_dict(to_dict(alert)) == alert`. Times are ISO 8601 strings that keep their
offset and any microseconds; tuples become lists; pairs become two-item lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from alerts.cap.model import Area, CapAlert, Circle, Info, Reference, Resource

__all__ = ["from_dict", "to_dict"]

JsonObject = dict[str, Any]


def to_dict(alert: CapAlert) -> JsonObject:
    """JSON-safe data for `alert` (only dicts, lists, str, float, int, None)."""
    return {
        "version": alert.version,
        "identifier": alert.identifier,
        "sender": alert.sender,
        "sent": _time(alert.sent),
        "status": alert.status,
        "msg_type": alert.msg_type,
        "scope": alert.scope,
        "source": alert.source,
        "restriction": alert.restriction,
        "addresses": alert.addresses,
        "codes": list(alert.codes),
        "note": alert.note,
        "references": [
            {"sender": ref.sender, "identifier": ref.identifier, "sent": _time(ref.sent)}
            for ref in alert.references
        ],
        "incidents": alert.incidents,
        "infos": [_info(info) for info in alert.infos],
    }


def from_dict(data: Mapping[str, Any]) -> CapAlert:
    """The alert `to_dict` made; `KeyError`/`ValueError`/`TypeError` for anything else."""
    return CapAlert(
        identifier=str(data["identifier"]),
        sender=str(data["sender"]),
        sent=_read_time(data["sent"]),
        status=str(data["status"]),
        msg_type=str(data["msg_type"]),
        scope=str(data["scope"]),
        source=_text(data["source"]),
        restriction=_text(data["restriction"]),
        addresses=_text(data["addresses"]),
        codes=tuple(str(code) for code in data["codes"]),
        note=_text(data["note"]),
        references=tuple(
            Reference(str(ref["sender"]), str(ref["identifier"]), _read_time(ref["sent"]))
            for ref in data["references"]
        ),
        incidents=_text(data["incidents"]),
        infos=tuple(_read_info(info) for info in data["infos"]),
        version=str(data["version"]),
    )


def _info(info: Info) -> JsonObject:
    return {
        "language": info.language,
        "categories": list(info.categories),
        "event": info.event,
        "response_types": list(info.response_types),
        "urgency": info.urgency,
        "severity": info.severity,
        "certainty": info.certainty,
        "audience": info.audience,
        "event_codes": _pairs(info.event_codes),
        "effective": _optional_time(info.effective),
        "onset": _optional_time(info.onset),
        "expires": _optional_time(info.expires),
        "sender_name": info.sender_name,
        "headline": info.headline,
        "description": info.description,
        "instruction": info.instruction,
        "web": info.web,
        "contact": info.contact,
        "parameters": _pairs(info.parameters),
        "resources": [
            {
                "description": resource.description,
                "mime_type": resource.mime_type,
                "size": resource.size,
                "uri": resource.uri,
                "digest": resource.digest,
                "deref_uri": resource.deref_uri,
            }
            for resource in info.resources
        ],
        "areas": [_area(area) for area in info.areas],
    }


def _read_info(data: Mapping[str, Any]) -> Info:
    return Info(
        language=str(data["language"]),
        categories=tuple(str(category) for category in data["categories"]),
        event=str(data["event"]),
        response_types=tuple(str(kind) for kind in data["response_types"]),
        urgency=str(data["urgency"]),
        severity=str(data["severity"]),
        certainty=str(data["certainty"]),
        audience=_text(data["audience"]),
        event_codes=_read_pairs(data["event_codes"]),
        effective=_read_optional_time(data["effective"]),
        onset=_read_optional_time(data["onset"]),
        expires=_read_optional_time(data["expires"]),
        sender_name=_text(data["sender_name"]),
        headline=_text(data["headline"]),
        description=_text(data["description"]),
        instruction=_text(data["instruction"]),
        web=_text(data["web"]),
        contact=_text(data["contact"]),
        parameters=_read_pairs(data["parameters"]),
        resources=tuple(
            Resource(
                description=str(resource["description"]),
                mime_type=str(resource["mime_type"]),
                size=None if resource["size"] is None else int(resource["size"]),
                uri=_text(resource["uri"]),
                digest=_text(resource["digest"]),
                deref_uri=_text(resource["deref_uri"]),
            )
            for resource in data["resources"]
        ),
        areas=tuple(_read_area(area) for area in data["areas"]),
    )


def _area(area: Area) -> JsonObject:
    return {
        "description": area.description,
        "polygons": [[[lat, lon] for lat, lon in polygon] for polygon in area.polygons],
        "circles": [
            {"latitude": c.latitude, "longitude": c.longitude, "radius_km": c.radius_km}
            for c in area.circles
        ],
        "geocodes": _pairs(area.geocodes),
        "altitude": area.altitude,
        "ceiling": area.ceiling,
    }


def _read_area(data: Mapping[str, Any]) -> Area:
    return Area(
        description=str(data["description"]),
        polygons=tuple(
            tuple((float(lat), float(lon)) for lat, lon in polygon) for polygon in data["polygons"]
        ),
        circles=tuple(
            Circle(float(c["latitude"]), float(c["longitude"]), float(c["radius_km"]))
            for c in data["circles"]
        ),
        geocodes=_read_pairs(data["geocodes"]),
        altitude=_number(data["altitude"]),
        ceiling=_number(data["ceiling"]),
    )


def _pairs(pairs: tuple[tuple[str, str], ...]) -> list[list[str]]:
    return [[name, value] for name, value in pairs]


def _read_pairs(data: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(value)) for name, value in data)


def _time(moment: datetime) -> str:
    return moment.isoformat()


def _optional_time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _read_time(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError(f"stored time {text!r} has no time zone")
    return moment


def _read_optional_time(text: Any) -> datetime | None:
    return None if text is None else _read_time(text)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
