"""Hostile CAP documents: entity bombs, external entities, DTDs, XIncludes and schema
locations are refused or ignored, and nothing is fetched."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from alerts.cap.parse import CAP_12, parse
from tests.alerts.cap_documents import BILLION_LAUGHS, cap, refused


def test_an_entity_bomb_is_refused_before_anything_is_expanded() -> None:
    assert "DOCTYPE" in refused(BILLION_LAUGHS)


def test_an_external_entity_is_not_read() -> None:
    document = cap().replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    )
    document = document.replace("Землетрясение".encode(), b"&xxe;")
    reason = refused(document)
    assert "DOCTYPE" in reason
    assert "root:" not in reason


def test_an_undeclared_entity_is_not_well_formed() -> None:
    document = cap().replace("Землетрясение".encode(), b"&xxe;")
    assert "not well-formed" in refused(document)


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A web server on loopback that records every request: none may arrive."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_error(404)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads `requests` instead."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_nothing_is_fetched_for_a_dtd_an_xinclude_or_a_schema_location(
    listener: tuple[str, list[str]],
) -> None:
    base, requests = listener
    external_dtd = cap().replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE alert SYSTEM "{base}/cap.dtd">'.encode(),
    )
    assert "DOCTYPE" in refused(external_dtd)
    parameter_entity = cap().replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        f'<!DOCTYPE alert [<!ENTITY % remote SYSTEM "{base}/x.dtd"> %remote;]>'.encode(),
    )
    assert "DOCTYPE" in refused(parameter_entity)
    xinclude = cap().replace(
        b"<scope>Public</scope>",
        f'<scope>Public</scope><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'href="{base}/note.xml"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'href="file:///etc/passwd" parse="text"/>'.encode(),
    )
    reason = refused(xinclude)
    assert "include" in reason
    assert "root:" not in reason
    located = cap().replace(
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        + f'xsi:schemaLocation="{CAP_12} {base}/cap.xsd">'.encode(),
    )
    assert parse(located).identifier == "KZ-ALM-0001"
    assert requests == []
