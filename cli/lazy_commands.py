"""A Typer group whose sub-commands are imported only when one of them is run.

`komek --help` lists them from a table of names and one-line helps; running `komek alerts …`
imports `cli.alerts_commands` and nothing else, so a command pays only for what it uses.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """Where a sub-command lives ("module:attribute", a Typer app or a function) and its help."""

    target: str
    help: str


def load_command(name: str, entry: LazyCommand) -> Any:
    """Import the entry's module and build the command (a group for a Typer app)."""
    module_name, attribute = entry.target.split(":")
    found = getattr(importlib.import_module(module_name), attribute)
    if isinstance(found, typer.Typer):
        command: Any = typer.main.get_group(found)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """Lists the entries of `lazy` without importing them; imports one when it is resolved."""

    lazy: ClassVar[dict[str, LazyCommand]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False
        self._unloaded = [name for name in self.lazy if name not in self.commands]
        for name in self._unloaded:
            # A stand-in with the right help, for the help page and "did you mean …".
            self.commands[name] = TyperCommand(name=name, help=self.lazy[name].help)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self._unloaded and not self._listing:
            self.commands[cmd_name] = load_command(cmd_name, self.lazy[cmd_name])
            self._unloaded.remove(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True  # the help page needs only names and helps: no imports
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
