"""Hypothesis strategies for hostile input: form fields, CAP documents, registry files."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from tests.alerts.broadcast import SENDER

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "١٢",
    "12345678901234567890",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "\u202eevil\u202c",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "A" * 5000,
    "W" * 3000,
    "75",
    "750000000",
    "Actual",
    "Exercise",
    "Test",
    "Alert",
    "Update",
    "Cancel",
    "confirm",
    "admin,dispatcher",
    "dispatcher",
    "true",
    "on",
    "en",
    "kk",
    "ru",
    "deaf",
    "43.2,76.9 5",
    "43.2,76.9 43.3,76.9 43.3,77.0 43.2,76.9",
    "NaN",
    "inf",
    "1e308",
    "phone=Тел",
]
FIELD_NAMES = [
    "action", "active", "actor", "back", "circles", "columns", "consent_version",
    "expires_hours", "item_id", "kinds", "label", "language", "languages", "msg_type", "next",
    "original", "password", "password_again", "polygons", "reason", "regions", "roles",
    "status", "template", "text", "to", "from", "username", "severity", "urgency",
    "certainty", "page",
    *(f"{part}_{code}" for part in ("headline", "instruction", "description", "place")
      for code in ("kk", "ru", "en")),
]  # fmt: skip

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=60),
    st.integers(-(10**25), 10**25).map(str),
).map(lambda value: "nobody" if value == "root" else value)
"""Text a hostile or careless person could type; never the name of the suite's own admin."""
fields = st.lists(
    st.tuples(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), values),
    max_size=10,
)


def urlencoded(pairs: list[tuple[str, str]]) -> tuple[bytes, str]:
    return urlencode(pairs).encode(), "application/x-www-form-urlencoded"


def multipart(
    pairs: list[tuple[str, str]],
    files: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    out = bytearray()
    for name, value in pairs:
        safe = name.replace('"', "").replace("\r", "").replace("\n", "")
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{safe}"\r\n\r\n'.encode()
        out += value.encode("utf-8", errors="surrogatepass") + b"\r\n"
    for name, filename, data in files:
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


CAP_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>{sender}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>{references}
  <info>
    <language>{language}</language>
    <category>Geo</category>
    <event>{event}</event>
    <urgency>Immediate</urgency>
    <severity>{severity}</severity>
    <certainty>Observed</certainty>
    <expires>{expires}</expires>
    <headline>{headline}</headline>
    <instruction>{instruction}</instruction>
    <area>
      <areaDesc>{area}</areaDesc>{shape}
      <geocode><valueName>KATO</valueName><value>{kato}</value></geocode>
    </area>
  </info>
</alert>
"""
times = st.one_of(
    st.sampled_from(["2026-11-22T14:00:00+05:00", "2099-01-01T00:00:00+05:00"]),
    st.builds(
        "{:04d}-{:02d}-{:02d}T{:02d}:00:00{}".format,
        st.integers(1, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.sampled_from(["+05:00", "Z", "-00:00", "+14:00", ""]),
    ),
    values,
)
statuses = st.one_of(st.sampled_from(["Actual", "Exercise", "Test", "System", "Draft"]), values)
msg_types = st.one_of(st.sampled_from(["Alert", "Update", "Cancel", "Ack", "Error"]), values)


@st.composite
def cap_documents(draw: st.DrawFn) -> bytes:
    """A CAP document with generated values: mostly well-formed, often wrong in a field."""
    texts = {
        "identifier": draw(st.one_of(st.sampled_from(["seed-1", "dup", "x"]), values)),
        "sender": draw(st.one_of(st.just(SENDER), st.just(SENDER), values)),
        "sent": draw(times),
        "status": draw(statuses),
        "msg_type": draw(msg_types),
        "language": draw(st.one_of(st.sampled_from(["en", "ru", "kk", "en-US"]), values)),
        "event": draw(values),
        "severity": draw(st.one_of(st.sampled_from(["Extreme", "Minor", "Unknown"]), values)),
        "expires": draw(times),
        "headline": draw(values),
        "instruction": draw(values),
        "area": draw(values),
        "kato": draw(st.one_of(st.sampled_from(["750000000", "71", "75"]), values)),
    }
    body = {key: escape(value) for key, value in texts.items()}
    references = draw(st.lists(st.tuples(values, values, times), max_size=3))
    body["references"] = (
        "\n  <references>"
        + " ".join(escape(",".join(parts)) for parts in references)
        + "</references>"
        if references
        else ""
    )
    shape = draw(st.one_of(st.just(""), values, st.sampled_from(["43.2,76.9 5", "1,2 3,4"])))
    body["shape"] = f"\n      <circle>{escape(shape)}</circle>" if shape else ""
    document = CAP_TEMPLATE.format(**body).encode("utf-8", errors="surrogatepass")
    mangle = draw(st.sampled_from(["none", "none", "none", "cut", "bytes", "flip"]))
    if mangle == "cut":
        document = document[: draw(st.integers(0, len(document)))]
    elif mangle == "bytes":
        document = draw(st.binary(max_size=2000))
    elif mangle == "flip":
        at = draw(st.integers(0, len(document) - 1))
        document = document[:at] + bytes([document[at] ^ 0xFF]) + document[at + 1 :]
    return document


REGISTRY_COLUMNS = [
    "phone", "telegram_id", "language", "region", "disability", "latitude", "longitude",
    "contact_phone", "wants_sms", "test_group", "consent_date", "consent_version",
]  # fmt: skip


@st.composite
def registry_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A list file: CSV in several encodings with hostile cells, or a broken workbook."""
    kind = draw(st.sampled_from(["csv", "csv", "csv", "xlsx-garbage", "zip-garbage", "raw"]))
    if kind == "raw":
        return "list.csv", draw(st.binary(max_size=3000))
    if kind == "zip-garbage":
        return "list.xlsx", b"PK\x03\x04" + draw(st.binary(max_size=2000))
    if kind == "xlsx-garbage":
        return "list.xlsx", b"\xd0\xcf\x11\xe0" + draw(st.binary(max_size=200))
    header = draw(
        st.lists(st.one_of(st.sampled_from(REGISTRY_COLUMNS), values), min_size=1, max_size=8)
    )
    rows = draw(st.lists(st.lists(values, min_size=0, max_size=10), max_size=12))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    text = "\r\n".join(line.replace("\r", " ").replace("\n", " ") for line in lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]))
    return "list.csv", text.encode(encoding, errors="replace")
