"""Reading a CAP 1.1 or 1.2 document safely into a `CapAlert`.

CAP arrives from outside (feeds, other agencies, a file a dispatcher uploads), so every step
assumes a hostile or broken document and refuses it with one line saying why:

1. Size: more than `MAX_BYTES` is refused before parsing; real alerts are a few kilobytes.
2. Well-formed XML with no DTD: defusedxml's parser forbids DOCTYPE, entity declarations and
   external references, which rules out entity bombs and XXE. Nothing is ever fetched and
   XInclude is never processed (neither parser here implements it).
3. The root's namespace picks the version; the document must validate against that version's
   OASIS schema (`schema/`, checked with lxml, whose errors carry line numbers).
4. Mapping to the model checks the formats the schema leaves as plain strings: times,
   polygon points, circles, "sender,identifier,sent" references.
5. `rules.check`: what the CAP specification requires in prose (see `alerts.cap.rules`).
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as defused_tree  # type: ignore[import-untyped]
from defusedxml.common import (  # type: ignore[import-untyped]
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from lxml import etree  # type: ignore[import-untyped]

from alerts.cap import rules
from alerts.cap.errors import CapError
from alerts.cap.model import Area, CapAlert, Circle, Info, Point, Reference, Resource
from alerts.cap.times import parse_time
from alerts.cap.xml_problems import not_well_formed, not_well_formed_lxml, off_schema
from core.said import Said

__all__ = ["CAP_11", "CAP_12", "MAX_BYTES", "CapError", "parse"]

MAX_BYTES = 1024 * 1024
CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_11 = "urn:oasis:names:tc:emergency:cap:1.1"
VERSIONS = {CAP_12: "1.2", CAP_11: "1.1"}
SCHEMA_DIR = Path(__file__).parent / "schema"
_SCHEMA_FILES = {CAP_12: "cap12.xsd", CAP_11: "cap11.xsd"}

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_CLARK = re.compile(r"\{[^}'\s]+\}")
"""A namespace in lxml's messages ("{urn:…}info"), not a set of values ("{'Actual', …}")."""
_validation_lock = threading.Lock()
"""One lxml schema object per version is shared; its error log is not per call."""


def parse(data: bytes) -> CapAlert:
    """The alert in `data`, or `CapError` with the reason it cannot be used."""
    root = _read_safely(data)
    namespace = _cap_namespace(root)
    _validate(data, namespace)
    alert = _Mapper(namespace).alert(root)
    rules.check(alert)
    return alert


def _read_safely(data: bytes) -> Element:
    if len(data) > MAX_BYTES:
        raise CapError(Said("alerts.cap.too_big", most=MAX_BYTES // 1024 // 1024))
    if not data.strip():
        raise CapError(Said("alerts.cap.empty"))
    try:
        root: Element = defused_tree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise CapError(Said("alerts.cap.doctype")) from None
    except EntitiesForbidden:
        raise CapError(Said("alerts.cap.entities")) from None
    except ExternalReferenceForbidden:
        raise CapError(Said("alerts.cap.external")) from None
    except ParseError as error:
        raise CapError(not_well_formed(error), detail=str(error)) from None
    return root


def _cap_namespace(root: Element) -> str:
    namespace, _, name = root.tag[1:].rpartition("}") if root.tag[:1] == "{" else ("", "", root.tag)
    if namespace not in VERSIONS:
        if namespace:
            raise CapError(Said("alerts.cap.root_namespace", name=name, namespace=namespace))
        raise CapError(Said("alerts.cap.root_no_namespace", name=name))
    if name != "alert":
        raise CapError(Said("alerts.cap.root_not_alert", name=name))
    return namespace


def _hardened_parser() -> Any:
    """lxml configured like defusedxml: no entities, no DTD loading, no network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _schema(namespace: str) -> Any:
    path = SCHEMA_DIR / _SCHEMA_FILES[namespace]
    return etree.XMLSchema(etree.parse(str(path), _hardened_parser()))


def _validate(data: bytes, namespace: str) -> None:
    try:
        document = etree.fromstring(data, _hardened_parser())
    except etree.XMLSyntaxError as error:
        raise CapError(not_well_formed_lxml(error), detail=str(error.msg)) from None
    schema = _schema(namespace)
    with _validation_lock:
        if schema.validate(document):
            return
        first = schema.error_log[0]
        line, message, kind = first.line, str(first.message), str(first.type_name)
    raise CapError(off_schema(kind, message, line), detail=_CLARK.sub("", message))


class _Mapper:
    """Elements of one validated document to model objects.

    The schema has already fixed which children exist, in which order and how often, so
    lookups by name are enough; only what the schema types as a plain string is checked here.
    Optional elements that are empty are read as absent.
    """

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def alert(self, root: Element) -> CapAlert:
        return CapAlert(
            identifier=self.text(root, "identifier"),
            sender=self.text(root, "sender"),
            sent=parse_time(self.text(root, "sent"), "sent"),
            status=self.text(root, "status"),
            msg_type=self.text(root, "msgType"),
            source=self.optional(root, "source"),
            scope=self.text(root, "scope"),
            restriction=self.optional(root, "restriction"),
            addresses=self.optional(root, "addresses"),
            codes=tuple((child.text or "").strip() for child in self.all(root, "code")),
            note=self.optional(root, "note"),
            references=_references(self.optional(root, "references") or ""),
            incidents=self.optional(root, "incidents"),
            infos=tuple(self.info(child) for child in self.all(root, "info")),
            version=VERSIONS[self.namespace],
        )

    def info(self, element: Element) -> Info:
        return Info(
            language=(self.optional(element, "language") or "en-US").strip(),
            categories=tuple(child.text or "" for child in self.all(element, "category")),
            event=self.text(element, "event"),
            response_types=tuple(child.text or "" for child in self.all(element, "responseType")),
            urgency=self.text(element, "urgency"),
            severity=self.text(element, "severity"),
            certainty=self.text(element, "certainty"),
            audience=self.optional(element, "audience"),
            event_codes=self.pairs(element, "eventCode"),
            effective=self.time(element, "effective"),
            onset=self.time(element, "onset"),
            expires=self.time(element, "expires"),
            sender_name=self.optional(element, "senderName"),
            headline=self.optional(element, "headline"),
            description=self.optional(element, "description"),
            instruction=self.optional(element, "instruction"),
            web=_stripped(self.optional(element, "web")),
            contact=self.optional(element, "contact"),
            parameters=self.pairs(element, "parameter"),
            resources=tuple(self.resource(child) for child in self.all(element, "resource")),
            areas=tuple(self.area(child) for child in self.all(element, "area")),
        )

    def resource(self, element: Element) -> Resource:
        size = self.optional(element, "size")
        return Resource(
            description=self.text(element, "resourceDesc"),
            mime_type=self.text(element, "mimeType").strip(),
            size=int(size) if size is not None else None,
            uri=_stripped(self.optional(element, "uri")),
            digest=_stripped(self.optional(element, "digest")),
            deref_uri=self.optional(element, "derefUri"),
        )

    def area(self, element: Element) -> Area:
        return Area(
            description=self.text(element, "areaDesc"),
            polygons=tuple(_polygon(text) for text in self.filled(element, "polygon")),
            circles=tuple(_circle(text) for text in self.filled(element, "circle")),
            geocodes=self.pairs(element, "geocode"),
            altitude=self.number(element, "altitude"),
            ceiling=self.number(element, "ceiling"),
        )

    def all(self, parent: Element, name: str) -> list[Element]:
        return parent.findall(f"{{{self.namespace}}}{name}")

    def text(self, parent: Element, name: str) -> str:
        child = parent.find(f"{{{self.namespace}}}{name}")
        return "" if child is None else child.text or ""

    def filled(self, parent: Element, name: str) -> list[str]:
        """Texts of repeated elements, skipping empty ones (NWS writes `<polygon/>` for none)."""
        return [text for child in self.all(parent, name) if (text := child.text or "").strip()]

    def optional(self, parent: Element, name: str) -> str | None:
        text = self.text(parent, name)
        return text if text.strip() else None

    def pairs(self, parent: Element, name: str) -> tuple[tuple[str, str], ...]:
        return tuple(
            (self.text(child, "valueName").strip(), self.text(child, "value").strip())
            for child in self.all(parent, name)
        )

    def time(self, parent: Element, name: str) -> datetime | None:
        text = self.optional(parent, name)
        return None if text is None else parse_time(text, name)

    def number(self, parent: Element, name: str) -> float | None:
        text = self.optional(parent, name)
        return None if text is None else _number(text, name)


def _stripped(text: str | None) -> str | None:
    return None if text is None else text.strip()


def _number(text: str, what: str) -> float:
    """A plain decimal: CAP coordinates and heights; no exponents, NaN or infinity."""
    value = text.strip()
    if not _NUMBER.fullmatch(value):
        raise CapError(Said("alerts.cap.not_number", what=what, value=repr(value[:40])))
    return float(value)


def _point(text: str, what: str) -> Point:
    latitude, comma, longitude = text.partition(",")
    if not comma or "," in longitude:
        raise CapError(Said("alerts.cap.not_point", what=what, value=repr(text[:40])))
    return _number(latitude, what), _number(longitude, what)


def _polygon(text: str) -> tuple[Point, ...]:
    """CAP polygon: whitespace-separated "lat,lon" points (closure is a rule, checked later)."""
    return tuple(_point(token, "polygon") for token in text.split())


def _circle(text: str) -> Circle:
    """CAP circle: "lat,lon radius", the radius in kilometres."""
    tokens = text.split()
    if len(tokens) != 2:
        raise CapError(Said("alerts.cap.not_circle", value=repr(text.strip()[:40])))
    latitude, longitude = _point(tokens[0], "circle")
    return Circle(latitude, longitude, _number(tokens[1], "circle"))


def _references(text: str) -> tuple[Reference, ...]:
    """CAP references: whitespace-separated "sender,identifier,sent" triplets."""
    found = []
    for token in text.split():
        fields = token.split(",")
        if len(fields) != 3:
            raise CapError(Said("alerts.cap.not_reference", value=repr(token[:60])))
        sender, identifier, sent = fields
        found.append(Reference(sender, identifier, parse_time(sent, "references")))
    return tuple(found)
