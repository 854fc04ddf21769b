"""`komek` imports a command group only when it is run, so the help page and a CAP check start
without the bot, the console, the workers or the classifier (their CPU cost is in
bench/cli_start.py and BENCHMARKS.md, not asserted here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from cli.lazy_commands import load_command
from cli.main import COMMANDS, app
from tests.testdata import shared_data

ROOT = Path(__file__).parents[2]
HEAVY = ("aiogram", "sklearn", "taskiq", "fastapi", "sqlalchemy", "av", "redis", "aiohttp")

# Runs `komek ARGS` in this process, then prints which heavy libraries were imported.
_PROBE = """
import sys
sys.argv = ["komek", *sys.argv[1:]]
from cli.main import app
try:
    app()
except SystemExit:
    pass
print("heavy:" + ",".join(h for h in {heavy!r} if h in sys.modules))
"""


def _heavy_imports(*args: str) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    output, _, last = done.stdout.rstrip().rpartition("\n")
    assert last.startswith("heavy:"), done.stdout + done.stderr
    return output, [name for name in last.removeprefix("heavy:").split(",") if name]


def test_the_help_page_lists_every_command_without_importing_them() -> None:
    output, heavy = _heavy_imports("--help")
    assert heavy == []
    for name, entry in COMMANDS.items():
        assert name in output
        assert entry.help.split()[0] in output


def test_a_cap_check_imports_only_the_cap_parser() -> None:
    cap = shared_data("cap/valid/02-oasis-thunderstorm.xml")
    output, heavy = _heavy_imports("alerts", "cap-check", str(cap))
    assert output.startswith("valid:"), output
    assert heavy == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_help_is_the_commands_own(name: str) -> None:
    command = load_command(name, COMMANDS[name])
    assert command.name == name
    assert (command.help or "").strip().splitlines()[0] == COMMANDS[name].help


def test_a_group_runs_once_imported_and_a_typo_gets_a_suggestion() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["users", "--help"])
    assert shown.exit_code == 0 and "create" in shown.output
    wrong = runner.invoke(app, ["alertz"])
    assert wrong.exit_code == 2 and "alerts" in wrong.output


def test_the_command_tree_is_the_same_whichever_way_it_is_read() -> None:
    group = typer.main.get_command(app)
    listed = group.list_commands(None)  # type: ignore[attr-defined]
    assert set(COMMANDS) <= set(listed)
    for name in listed:
        assert group.get_command(None, name) is not None  # type: ignore[attr-defined]
