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
from nlu.evaluation import evaluate, read_tsv
from nlu.pipeline import NLU, load_or_train

nlu_app = typer.Typer(
    help="Language understanding: predict, evaluate, and teach.", no_args_is_help=True
)


def _nlu() -> tuple[NLU, Settings]:
    settings = Settings()
    configure_logging(settings.log_level)
    return NLU(load_or_train(settings.data_dir / "models")), settings


@nlu_app.command()
def predict(
    lang: str = typer.Option("", help="Profile language used when unsure (kk, ru or en)."),
    warning: bool = typer.Option(
        False, "--warning", help="Read each message as the answer to a warning, as the bot does."
    ),
) -> None:
    """Read messages, one per line, on standard input; write JSON lines.

    The decision is the dialogue's: "safety" says safe, help or unclear, and "intent" is
    never report_safe unless the message clearly says the person is safe.
    """
    nlu, settings = _nlu()
    profile = Language(lang or settings.default_language)
    for line in sys.stdin:
        if line.strip():
            parse = nlu.parse(line.strip(), profile, answering_warning=warning)
            typer.echo(json.dumps(parse.to_json(), ensure_ascii=False))


@nlu_app.command("eval")
def evaluate_file(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="TSV: id lang intent service text.")
    ],
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Accuracy and macro-F1 per language and intent, emergency recall, most confused pairs."""
    nlu, _ = _nlu()
    report = evaluate(nlu, read_tsv(file))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    languages = report["languages"]
    assert isinstance(languages, dict)
    for code, scores in languages.items():
        typer.echo(
            f"{code}: accuracy {scores['accuracy']:.3f}  macro-F1 {scores['macro_f1']:.3f}  "
            f"language id {scores['language_id_accuracy']:.3f}  ({scores['rows']} rows)"
        )
    typer.echo(f"all: accuracy {report['accuracy']}  macro-F1 {report['macro_f1']}")
    typer.echo(
        f"emergency_help recall {report['emergency_recall']} "
        f"(pattern layer alone {report['emergency_pattern_recall']})"
    )
    fp = report["emergency_pattern_false_positives"]
    assert isinstance(fp, dict)
    typer.echo(f"emergency pattern false positives: {fp['count']} (rate {fp['rate']})")
    intents = report["intents"]
    assert isinstance(intents, dict)
    for intent, f1 in intents.items():
        typer.echo(f"  {intent:26} F1 {f1:.3f}")
    confused = report["confused"]
    assert isinstance(confused, list)
    typer.echo("most confused:")
    for pair in confused:
        typer.echo(f"  {pair['gold']} → {pair['predicted']}: {pair['count']}")


nlu_app.command("review")(review_messages)
nlu_app.command("export-reviewed")(export_reviewed)
