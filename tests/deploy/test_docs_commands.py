"""The guides use only commands that exist: every `komek …` in the docs and the README names a
real command, with options it really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cli.main import app

ROOT = Path(__file__).parents[2]
GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_INVOCATION = re.compile(r"(?:^|[`\s(])komek ((?:[a-z][a-z0-9-]*)(?: [^`|\n]*)?)")


def _invocations() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for guide in GUIDES:
        text = guide.read_text(encoding="utf-8").replace("\\\n", " ")
        for match in _INVOCATION.finditer(text):
            found.add((guide.name, match.group(1).strip()))
    return sorted(found)


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def _resolve(words: list[str]) -> tuple[Any, list[str]]:
    """The deepest command the words name, and the words after it (Typer's own click)."""
    command: Any = typer.main.get_command(app)
    rest = list(words)
    while rest and _is_group(command):
        sub = command.get_command(None, rest[0])
        if sub is None:
            break
        command, rest = sub, rest[1:]
    return command, rest


@pytest.mark.parametrize(("guide", "invocation"), _invocations())
def test_every_command_in_the_guides_exists(guide: str, invocation: str) -> None:
    try:
        words = shlex.split(invocation)
    except ValueError:
        words = invocation.split()
    words = [w.rstrip("\\") for w in words if w not in ("...", "…")]
    command, rest = _resolve(words)
    assert not _is_group(command) or not rest or rest[0].startswith("-"), (
        f"{guide}: `komek {invocation}`: no command {rest[0]!r} under it"
    )
    if _is_group(command):
        return  # a group named in prose ("`komek alerts`"), not run
    known = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    known |= {"--help"}
    for word in rest:
        option = word.split("=", 1)[0]
        if option.startswith("--"):
            assert option in known, f"{guide}: `komek {invocation}`: no option {option}"
