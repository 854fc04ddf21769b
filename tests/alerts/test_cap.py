"""CAP documents: real ones from many agencies are read, exported and read back unchanged;
broken and hostile ones are refused with one clear line, and nothing is fetched."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from alerts.cap.codec import from_dict, to_dict
from alerts.cap.export import to_xml
from alerts.cap.model import Area, CapAlert, Circle, Info, Reference, Resource
from alerts.cap.parse import CAP_12, MAX_BYTES, CapError, parse
from tests.alerts.cap_documents import cap, refused
from tests.testdata import CAP_DATA, shared_data


def documents(kind: str) -> list[object]:
    """The shared documents of `kind`; when the folder is absent, one case that is skipped,
    saying so, by `shared_data` (and fails in CI)."""
    folder = CAP_DATA / kind
    if not folder.is_dir():
        return [pytest.param(folder, id=f"{kind}-absent")]
    return [pytest.param(path, id=path.name) for path in sorted(folder.glob("*.xml"))]


def manifest() -> dict[str, dict[str, str]]:
    with (CAP_DATA / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def area_kinds(alert: CapAlert) -> set[str]:
    areas = [area for info in alert.infos for area in info.areas]
    kinds = {
        "polygon": any(area.polygons for area in areas),
        "circle": any(area.circles for area in areas),
        "geocode": any(area.geocodes for area in areas),
    }
    return {kind for kind, present in kinds.items() if present}


# Real documents ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", documents("valid"))
def test_a_real_document_is_read_as_its_manifest_describes(path: Path) -> None:
    alert = parse(shared_data(path).read_bytes())
    row = manifest()[f"valid/{path.name}"]
    assert alert.version == row["cap_version"]
    assert alert.msg_type == row["msgType"]
    languages = {info.language for info in alert.infos}
    if row["languages"] == "(no info)":
        assert alert.infos == ()
    elif row["languages"] == "(default en-US)":
        assert languages == {"en-US"}
    else:
        assert languages == set(row["languages"].split(","))
    expected_kinds = set() if row["area_kinds"] == "(none)" else set(row["area_kinds"].split(","))
    assert area_kinds(alert) == expected_kinds
    for moment in [alert.sent, *(ref.sent for ref in alert.references)]:
        assert moment.utcoffset() is not None


@pytest.mark.parametrize("path", documents("valid"))
def test_a_real_document_exports_as_valid_cap_12_and_reads_back_equal(path: Path) -> None:
    alert = parse(shared_data(path).read_bytes())
    exported = to_xml(alert)
    assert exported.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert etree.fromstring(exported).nsmap[None] == CAP_12
    again = parse(exported)
    assert again.version == "1.2"
    assert dataclasses.replace(again, version=alert.version) == alert
    assert to_xml(again) == exported


@pytest.mark.parametrize("path", documents("valid"))
def test_a_real_document_survives_the_database_form(path: Path) -> None:
    alert = parse(shared_data(path).read_bytes())
    stored = json.loads(json.dumps(to_dict(alert), ensure_ascii=False))
    assert from_dict(stored) == alert
    assert to_dict(from_dict(stored)) == stored


INVALID_REASONS = {
    "01": ["line 9", "info", "scope"],
    "02": ["line 17", "urgency", "Immediate"],
    "03": ["DOCTYPE"],
    "04": ["not a CAP 1.1/1.2 alert", "urn:oasis:names:tc:emergency:alerts:1.2"],
    "05": ["line 17", "senderName"],
    "06": ["<alerts>"],
    "07": ["references", "Update"],
}


@pytest.mark.parametrize("path", documents("invalid"))
def test_a_broken_real_document_is_refused_with_its_reason(path: Path) -> None:
    reason = refused(shared_data(path).read_bytes())
    for fragment in INVALID_REASONS.get(path.name[:2], []):
        assert fragment in reason
    assert "{urn:" not in reason


# What is read ------------------------------------------------------------------------------


def read(name: str) -> CapAlert:
    return parse(shared_data(f"cap/valid/{name}").read_bytes())


def test_times_keep_their_offset_and_points_their_order() -> None:
    alert = read("02-oasis-thunderstorm.xml")
    assert alert.sent == datetime(2003, 6, 17, 14, 57, tzinfo=timezone(timedelta(hours=-7)))
    info = alert.infos[0]
    assert info.language == "en-US"  # no <language>: CAP's default
    assert info.event_codes == (("SAME", "SVR"),)
    area = info.areas[0]
    assert area.polygons[0][0] == (38.47, -120.14)
    assert area.polygons[0][0] == area.polygons[0][-1]
    assert ("SAME", "006109") in area.geocodes


def test_a_circle_is_centre_and_radius_in_kilometres() -> None:
    alert = read("03-oasis-earthquake-update.xml")
    assert alert.infos[0].areas[0].circles == (Circle(32.9525, -115.5527, 0.0),)
    assert alert.references == (
        Reference(
            "trinet@caltech.edu",
            "TRI13970876.1",
            datetime(2003, 6, 11, 20, 30, tzinfo=timezone(timedelta(hours=-7))),
        ),
    )
    assert ("Magnitude", "3.4 Ml") in alert.infos[0].parameters


def test_declared_iso_8859_1_is_decoded() -> None:
    assert "Usulután" in (read("11-usgs-earthquake-iso8859-1.xml").infos[0].headline or "")


def test_a_byte_order_mark_and_a_prefix_are_accepted() -> None:
    assert read("22-taiwan-wra-reservoir-bom.xml").infos[0].headline == "明德水庫:洩洪中"
    australia = read("08-nsw-rfs-fire-cap-au.xml")
    secondary = ("non-standard secondary event code", "structure_fire")
    assert australia.infos[0].event_codes[1] == secondary


def test_cap_11_is_read_into_the_same_model() -> None:
    alert = read("12-usgs-earthquake-cap11.xml")  # also carries an xml-stylesheet PI
    assert alert.version == "1.1"
    assert alert.infos[0].areas[0].circles


def test_signatures_are_allowed_and_embedded_resources_kept() -> None:
    assert len(read("10-env-canada-signed-update.xml").references) == 9
    resources = [r for info in read("27-ipaws-large-resource.xml").infos for r in info.resources]
    assert any(resource.deref_uri for resource in resources)


# Broken and hostile documents --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\t ", "empty", id="blank"),
        pytest.param(b"This is not XML at all.", "not well-formed", id="plain-text"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed", id="binary"),
        pytest.param(cap()[:300], "not well-formed", id="truncated"),
        pytest.param(b"<alert>" + b" " * MAX_BYTES + b"</alert>", "larger than 1 MB", id="huge"),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
            "not a CAP 1.1/1.2 alert",
            id="atom-feed",
        ),
        pytest.param(b"<alert><sent>x</sent></alert>", "without a namespace", id="no-namespace"),
        pytest.param(
            cap(status="Real"),
            "line 6: <status> must be one of: Actual, Exercise,",
            id="bad-status",
        ),
        pytest.param(
            cap(msg_type="Alarm"),
            "line 7: <msgType> must be one of: Alert, Update,",
            id="bad-msgtype",
        ),
        pytest.param(
            cap(urgency="Now"), "line 13: <urgency> must be one of: Immediate,", id="bad-urgency"
        ),
        pytest.param(cap(msg_type="Update"), "references: this", id="update-without-refs"),
        pytest.param(cap(msg_type="Cancel"), "references: this", id="cancel-without-refs"),
        pytest.param(
            cap(msg_type="Update", references="112@emer.gov.kz,KZ-ALM-0000"),
            "is not three parts with commas: sender, id, sent",
            id="reference-not-a-triplet",
        ),
        pytest.param(
            cap(msg_type="Update", references="112@emer.gov.kz,KZ-1,yesterday"),
            "not a CAP date and time",
            id="reference-bad-time",
        ),
        pytest.param(
            cap(geometry="<polygon>43.2,76.8 43.3,76.9 43.2,76.8</polygon>"),
            "at least 4 points",
            id="polygon-3-points",
        ),
        pytest.param(
            cap(geometry="<polygon>43.2,76.8 43.3,76.9 43.1,77.0 43.2,76.9</polygon>"),
            "first and last",
            id="polygon-open",
        ),
        pytest.param(
            cap(geometry="<polygon>43.2;76.8 43.3;76.9 43.1;77.0 43.2;76.8</polygon>"),
            "is not one point, as 'lat,lon'",
            id="polygon-bad-point",
        ),
        pytest.param(cap(geometry="<circle>43.25,76.95</circle>"), "radius", id="no-radius"),
        pytest.param(cap(geometry="<circle>143.25,76.95 10</circle>"), "globe", id="off-globe"),
        pytest.param(cap(geometry="<circle>nan,76.95 10</circle>"), "decimal", id="nan"),
    ],
)
def test_a_broken_document_is_refused_with_one_clear_line(data: bytes, fragment: str) -> None:
    assert fragment in refused(data)


def test_the_rules_of_the_specification_apply_beyond_the_schema() -> None:
    spaced = cap().replace(b"KZ-ALM-0001", b"KZ ALM 0001")
    assert "identifier" in refused(spaced)
    restricted = cap().replace(b"<scope>Public", b"<scope>Restricted")
    assert "restriction: it must be there when scope is Restricted" in refused(restricted)
    private = cap().replace(b"<scope>Public", b"<scope>Private")
    assert "addresses: it must be there when scope is Private" in refused(private)
    no_zone = cap().replace(CAP_12.encode(), CAP_12[:-1].encode() + b"1")
    no_zone = no_zone.replace(b"2026-11-22T12:00:00+05:00", b"2026-11-22T12:00:00")
    assert "no time zone" in refused(no_zone)


# Export and the database form --------------------------------------------------------------

ALMATY = timezone(timedelta(hours=5))


def composed() -> CapAlert:
    """An alert as a dispatcher composes it in the console."""
    return CapAlert(
        identifier="KZ-ALM-0002",
        sender="112@emer.gov.kz",
        sent=datetime(2026, 11, 22, 12, 0, 0, 123456, tzinfo=ALMATY),
        status="Exercise",
        msg_type="Update",
        references=(
            Reference("112@emer.gov.kz", "KZ-ALM-0001", datetime(2026, 11, 22, 7, tzinfo=UTC)),
        ),
        infos=(
            Info(
                language="kk-KZ",
                categories=("Geo", "Safety"),
                event="Жер сілкінісі",
                response_types=("Evacuate",),
                urgency="Immediate",
                severity="Severe",
                certainty="Observed",
                expires=datetime(2026, 11, 22, 18, 0, tzinfo=ALMATY),
                headline="Алматыда жер сілкінісі",
                instruction="Ғимараттан дереу шығыңыз. Лифтті пайдаланбаңыз.",
                parameters=(("layer:KZ:magnitude", "5.1"),),
                resources=(
                    Resource("Карта", "image/png", size=2048, uri="https://example.kz/m.png"),
                ),
                areas=(
                    Area(
                        description="Алматы қаласы",
                        polygons=(((43.2, 76.8), (43.3, 76.9), (43.1, 77.00001), (43.2, 76.8)),),
                        circles=(Circle(43.25, 76.95, 12.5),),
                        geocodes=(("KATO", "750000000"),),
                        altitude=700.0,
                        ceiling=3000.0,
                    ),
                ),
            ),
        ),
    )


def test_a_composed_alert_exports_in_cap_form() -> None:
    exported = to_xml(composed()).decode()
    assert "<sent>2026-11-22T12:00:00+05:00</sent>" in exported
    assert "KZ-ALM-0001,2026-11-22T07:00:00-00:00</references>" in exported
    assert "<polygon>43.2,76.8 43.3,76.9 43.1,77.00001 43.2,76.8</polygon>" in exported
    assert "<circle>43.25,76.95 12.5</circle>" in exported
    assert "Алматыда жер сілкінісі" in exported
    again = parse(exported.encode())
    assert again == dataclasses.replace(composed(), sent=composed().sent.replace(microsecond=0))


def test_tiny_coordinates_are_written_without_an_exponent() -> None:
    alert = composed()
    info = alert.infos[0]
    area = dataclasses.replace(info.areas[0], circles=(Circle(0.00001, -0.00002, 0.0001),))
    alert = dataclasses.replace(alert, infos=(dataclasses.replace(info, areas=(area,)),))
    exported = to_xml(alert)
    assert b"<circle>0.00001,-0.00002 0.0001</circle>" in exported
    assert parse(exported).infos[0].areas[0].circles == area.circles


def test_an_alert_that_breaks_the_rules_is_not_exported() -> None:
    with pytest.raises(CapError, match="references"):
        to_xml(dataclasses.replace(composed(), references=()))
    with pytest.raises(CapError, match="language"):
        to_xml(dataclasses.replace(composed(), infos=(Info(language="not a language"),)))
    with pytest.raises(CapError, match="time zone"):
        to_xml(dataclasses.replace(composed(), sent=datetime(2026, 11, 22, 12)))
    with pytest.raises(CapError, match="XML"):
        to_xml(dataclasses.replace(composed(), note="bell \x07"))


def test_the_database_form_is_exact_and_plain_json() -> None:
    alert = composed()
    stored = to_dict(alert)
    assert json.loads(json.dumps(stored)) == stored
    assert stored["sent"] == "2026-11-22T12:00:00.123456+05:00"
    assert from_dict(json.loads(json.dumps(stored))) == alert
