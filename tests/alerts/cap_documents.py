"""A small CAP document to vary, an entity bomb, and how a refused one is checked: one clear
line."""

from __future__ import annotations

import pytest

from alerts.cap.parse import CapError, parse


def refused(data: bytes) -> str:
    """The reason `data` is refused: one line, the error's whole text."""
    with pytest.raises(CapError) as caught:
        parse(data)
    reason = caught.value.reason
    assert reason
    assert "\n" not in reason
    assert str(caught.value) == reason
    return reason


MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>KZ-ALM-0001</identifier>
  <sender>112@emer.gov.kz</sender>
  <sent>2026-11-22T12:00:00+05:00</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>{references}
  <info>
    <language>ru-KZ</language>
    <category>Geo</category>
    <event>Землетрясение</event>
    <urgency>{urgency}</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <area>
      <areaDesc>город Алматы</areaDesc>{geometry}
    </area>
  </info>
</alert>
"""


def cap(
    *,
    status: str = "Actual",
    msg_type: str = "Alert",
    references: str = "",
    urgency: str = "Immediate",
    geometry: str = "",
) -> bytes:
    refs = f"\n  <references>{references}</references>" if references else ""
    text = MINIMAL.format(
        status=status, msg_type=msg_type, references=refs, urgency=urgency, geometry=geometry
    )
    return text.encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE alert [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>
"""
"""Nested entities that would expand to a billion "lol"s: refused before any is expanded."""
