"""CAP documents for the console's API tests: real ones from other agencies, and current ones."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from alerts.cap.export import to_xml
from alerts.cap.model import CapAlert
from tests.alerts.broadcast import alert
from tests.testdata import shared_data


def real(name: str) -> bytes:
    """A document from the shared test data (see its MANIFEST.tsv), e.g. `valid/02-….xml`."""
    return shared_data(f"cap/{name}").read_bytes()


def current(identifier: str, **kwargs: Any) -> bytes:
    """An alert for Almaty (KATO 75) in kk, ru and en that has not expired yet."""
    composed: CapAlert = alert(identifier, **kwargs)
    later = datetime.now(UTC) + timedelta(days=1)
    infos = tuple(dataclasses.replace(info, expires=later) for info in composed.infos)
    return to_xml(dataclasses.replace(composed, infos=infos))
