"""`komek content lint`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from content.facts import CONTENT_DIR
from content.lint import SEEDS_DIR, lint

content_app = typer.Typer(help="The knowledge base: articles and facts.", no_args_is_help=True)


@content_app.command("lint")
def lint_command(
    knowledge_base: Annotated[Path, typer.Option(help="Folder with facts.yml and articles/.")] = (
        CONTENT_DIR
    ),
    seeds: Annotated[Path, typer.Option(help="Folder of the source documents.")] = SEEDS_DIR,
) -> None:
    """Check every article and fact: languages, sources, limits, readability, spelling."""
    report = lint(knowledge_base, seeds)
    typer.echo(report.format(), nl=False)
    if not report.ok:
        raise typer.Exit(1)
