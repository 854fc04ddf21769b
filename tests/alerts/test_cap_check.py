"""`komek alerts cap-check FILE`: one line and an exit code a script can rely on."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.alerts_commands import alerts_app
from tests.testdata import shared_data


def check(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(alerts_app, ["cap-check", str(path)])
    return result.exit_code, result.output.splitlines()


def shared(name: str) -> Path:
    return shared_data(f"cap/{name}")


def test_a_valid_document_gets_a_one_line_summary() -> None:
    code, lines = check(shared("valid/10-env-canada-signed-update.xml"))
    assert code == 0
    assert lines == [
        "valid: CAP 1.2 Update, status Actual; info: en-CA, fr-CA; areas: polygon, geocode"
    ]


def test_a_cap_11_document_without_info_is_valid() -> None:
    code, lines = check(shared("valid/15-usgs-minimal-no-info-cap11.xml"))
    assert code == 0
    assert lines == ["valid: CAP 1.1 Alert, status Actual; info: none; areas: none"]


def test_an_invalid_document_gets_its_reason() -> None:
    code, lines = check(shared("invalid/07-eccc-empty-references.xml"))
    assert code == 1
    assert lines == [
        "invalid: references: this is needed when msgType is Update. Name the earlier message."
    ]


def test_a_schema_error_names_the_line(tmp_path: Path) -> None:
    code, lines = check(shared("invalid/01-missing-scope.xml"))
    assert code == 1
    assert len(lines) == 1
    assert lines[0] == "invalid: line 9: <info> is not expected here. Expected: <source>, <scope>"


def test_a_hostile_or_missing_file_is_invalid(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>')
    code, lines = check(bomb)
    assert code == 1
    assert lines == ["invalid: a DOCTYPE is not allowed in a CAP alert (DTDs and entities)"]
    code, lines = check(tmp_path / "nowhere.xml")
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith("invalid: cannot read")
