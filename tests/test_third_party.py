"""Data from other projects that Kömek ships is recorded in docs/third-party.md, licence and
origin, and the shipped file points there."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "docs" / "third-party.md"


def test_the_region_outlines_name_their_source_and_its_notice() -> None:
    shipped = json.loads((ROOT / "alerts" / "registry" / "region_outlines.json").read_text())
    source = shipped["source"]
    assert "docs/third-party.md" in source
    package, version = source.split(",")[0].split()
    notices = NOTICES.read_text(encoding="utf-8")
    assert f"`{package}` {version}" in notices
    assert "Permission is hereby granted" in notices  # MIT asks for its notice with copies
    assert "Not settled" in notices  # the origin of the geometry is still open
