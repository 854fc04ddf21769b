"""Facts load from facts.yml, fill {key} placeholders, and a broken file names its problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.facts import AsOf, ContentError, Facts, UnknownFactError
from core.profile import Language
from tests.content.samples import Workspace


def test_facts_load_with_their_fields(workspace: Workspace) -> None:
    facts = Facts.load(workspace.kb / "facts.yml")
    hours = facts["interpreter_hours"]
    assert (hours.value, hours.unit, hours.effective) == (60, "hours per year", AsOf(2024, 3))
    assert hours.source.endswith("¶3")
    assert hours.note == "Paid by the state."
    assert set(facts) == {"interpreter_hours", "people"}


def test_render_fills_placeholders_in_each_language(workspace: Workspace) -> None:
    facts = Facts.load(workspace.kb / "facts.yml")
    assert facts.render("{interpreter_hours} hours a year") == "60 hours a year"
    assert facts.render("{people} человек", Language.RU) == "732,1 тысячи человек"
    assert facts.render("{people} people", Language.EN) == "732.1 thousand people"
    assert facts.render("{people}") == "732.1"
    assert facts.render("No figure here.") == "No figure here."


def test_render_of_an_unknown_key_says_which_key(workspace: Workspace) -> None:
    facts = Facts.load(workspace.kb / "facts.yml")
    with pytest.raises(UnknownFactError, match=r"\{interpreter_hour\}") as caught:
        facts.render("Call {interpreter_hour} now.")
    assert caught.value.key == "interpreter_hour"
    assert "facts.yml" in str(caught.value)


def test_as_of_dates_keep_their_precision() -> None:
    assert str(AsOf.parse("2024")) == "2024"
    assert str(AsOf.parse("2024-03")) == "2024-03"
    assert str(AsOf.parse("2023-07-01")) == "2023-07-01"
    assert AsOf.parse("2024") < AsOf.parse("2024-03") < AsOf.parse("2024-10-11")
    assert max(AsOf(2016), AsOf(2024, 3), AsOf(2023, 7, 1)) == AsOf(2024, 3)
    for bad in ("March 2024", "2024-13", "2024-02-30", "24"):
        with pytest.raises(ValueError, match=r"not a date|month|day"):
            AsOf.parse(bad)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("hours:\n  value: 60\n  effective: '2024'\n", 1, "fact 'hours': has no source"),
        ("hours:\n  unit: h\n  effective: '2024'\n  source: x\n", 1, "has no value"),
        ("hours:\n  value: 60\n  source: s\n", 1, "has no effective"),
        ("hours:\n  value: 60\n  effective: soon\n  source: s\n", 3, "effective: 'soon'"),
        ("hours:\n  value: 60\n  effective: '2024'\n  source: s\n  valeu: 6\n", 5, "'valeu'"),
        ("hours:\n  value: 6\n  value: 7\n", 3, "'value' appears twice"),
        ("hours:\n  value: 60\n  note: a: b\n", 3, "double quotes"),
        ("hours: [60\n", 2, "expected"),
        ("- a list\n", 1, "must be a mapping"),
    ],
)
def test_a_broken_facts_file_names_file_line_and_problem(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path / "facts.yml", text)
    with pytest.raises(ContentError) as caught:
        Facts.load(path)
    error = caught.value
    assert (error.path, error.line) == (path, line)
    assert message in error.message
    assert str(error).startswith(f"facts.yml, line {line}: ")


def test_read_keeps_the_good_facts_beside_the_broken_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path / "facts.yml",
        "good:\n  value: 1\n  effective: '2024'\n  source: s\nbad:\n  value: 2\n",
    )
    facts, errors = Facts.read(path)
    assert list(facts) == ["good"]
    assert [(e.line, e.rule) for e in errors] == [(5, "facts")]


def test_a_display_needs_every_language(tmp_path: Path) -> None:
    path = write(
        tmp_path / "facts.yml",
        "x:\n  value: 1.5\n  effective: '2024'\n  source: s\n  display: {en: '1.5'}\n",
    )
    with pytest.raises(ContentError, match="display needs exactly kk, ru and en"):
        Facts.load(path)


def test_a_missing_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"facts\.yml: cannot be read"):
        Facts.load(tmp_path / "facts.yml")
