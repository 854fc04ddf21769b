"""`komek nlu predict`, `komek nlu eval`, and teaching: `komek nlu review`, `export-reviewed`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.nlu_review_commands import export_reviewed, review_messages
from core.logging import configure_logging
from core.profile import Language
from core.settings import Settings
from nlu.evaluation import read_tsv
from nlu.evaluation import report as scores
from nlu.pipeline import NLU, Models, load_models
from nlu.report import report_lines
from nlu.text import fold
from nlu.training_data import load_directory

nlu_app = typer.Typer(
    help="Language understanding: predict, evaluate, and teach.", no_args_is_help=True
)


def _nlu() -> tuple[NLU, Settings]:
    settings = Settings()
    configure_logging(settings.log_level)
    return NLU(load_models(settings)), settings


def _nlu_and_models() -> tuple[NLU, Models]:
    settings = Settings()
    configure_logging(settings.log_level)
    models = load_models(settings)
    return NLU(models), models


@nlu_app.command()
def predict(
    lang: str = typer.Option("", help="Profile language used when unsure (kk, ru or en)."),
    warning: bool = typer.Option(
        False, "--warning", help="Read each message as the answer to a warning, as the bot does."
    ),
) -> None:
    """Read messages, one per line, on standard input; write JSON lines.

    The decision is the dialogue's: "safety" says safe, help or unclear, and "intent" is
    never report_safe unless the message clearly says the person is safe. With --warning, as
    while a warning waits: a yes or a no in any words is safety_unclear (the person is asked).
    """
    nlu, settings = _nlu()
    profile = Language(lang or settings.default_language)
    for line in sys.stdin:
        if line.strip():
            parse = nlu.parse(line.strip(), profile, answering_warning=warning)
            typer.echo(json.dumps(parse.to_json(), ensure_ascii=False))


@nlu_app.command("eval")
def evaluate_files(
    files: Annotated[
        list[Path],
        typer.Argument(exists=True, dir_okay=False, help="TSV files: id lang intent service text."),
    ],
    as_json: bool = typer.Option(False, "--json", help="Print the reports as JSON."),
    errors: bool = typer.Option(False, "--errors", help="List every misread message too."),
    warning: bool = typer.Option(
        False,
        "--warning",
        help="Read every row as the answer to a warning, as the bot does while one waits "
        "(by default no warning waits: the sets hold messages of every kind).",
    ),
) -> None:
    """Per language: accuracy, macro-F1, emergency recall, not-safe read as safe, calibration."""
    try:  # a bad file is named before the model is loaded
        sets = {str(path): read_tsv(path) for path in files}
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    nlu, models = _nlu_and_models()
    training = {fold(example.text) for example in load_directory().examples}
    read = {  # each row read once, for its file and for all files together
        name: [(row, nlu.parse(row.text, row.language, answering_warning=warning)) for row in rows]
        for name, rows in sets.items()
    }
    reports = {name: scores(pairs, training) for name, pairs in read.items()}
    if len(reports) > 1:
        reports["all files"] = scores([pair for pairs in read.values() for pair in pairs], training)
    if as_json:
        document = {"model": models.intents.kind, "files": reports}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    typer.echo(f"model: {models.intents.kind}")
    typer.echo(f"read as: {'answers to a warning' if warning else 'no warning waiting'}")
    for name, report in reports.items():
        typer.echo(f"\n== {name}")
        for line in report_lines(report, errors=errors):
            typer.echo(line)


nlu_app.command("review")(review_messages)
nlu_app.command("export-reviewed")(export_reviewed)
