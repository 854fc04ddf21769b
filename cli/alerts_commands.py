"""`komek alerts …`: the registration list, CAP documents and broadcasts from the command line."""

from __future__ import annotations

import typer

alerts_app = typer.Typer(
    help="Emergency alerts: registration list, CAP documents, sending.", no_args_is_help=True
)
