"""`komek alerts …`: the registration list, CAP documents and broadcasts from the command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from cli.staff_language import LangOption, StaffWords

alerts_app = typer.Typer(
    help="Emergency alerts: registration list, CAP documents, sending.", no_args_is_help=True
)


@alerts_app.command("send")
def send(
    document: Annotated[Path, typer.Argument(help="A CAP 1.2 (or 1.1) XML file.")],
    exercise: Annotated[
        bool, typer.Option("--exercise", help="Send as an Exercise: test group only.")
    ] = False,
    actor: Annotated[str, typer.Option("--as", help="Who sends it, for the audit log.")] = "cli",
    kinds: Annotated[
        list[str] | None, typer.Option("--kind", help="Only people with this disability kind.")
    ] = None,
    languages: Annotated[
        list[str] | None, typer.Option("--language", help="Only people with this language.")
    ] = None,
    wait: Annotated[
        bool, typer.Option(help="Follow the progress until everything has an outcome.")
    ] = True,
    lang: LangOption = None,
) -> None:
    """Validate, preview, approve and send an alert, with live progress."""
    from alerts.targeting import Audience
    from cli.alert_sending import CommandError, send_alert
    from cli.staff_language import staff_words
    from cli.start import load_settings

    console = Console()
    settings = load_settings()
    words = staff_words(lang, settings)
    try:
        audience = Audience(kinds=frozenset(kinds or ()), languages=frozenset(languages or ()))
    except ValueError as error:
        refuse(console, words, error)
    try:
        asyncio.run(
            send_alert(
                settings,
                document,
                actor=actor,
                exercise=exercise,
                audience=audience,
                wait=wait,
                console=console,
                words=words,
            )
        )
    except CommandError as error:
        refuse(console, words, error)


@alerts_app.command("status")
def status(
    alert_id: Annotated[int, typer.Argument(help="The alert's number.")],
    lang: LangOption = None,
) -> None:
    """Deliveries by channel and state, and the answers so far."""
    from cli.alert_sending import CommandError, alert_status
    from cli.staff_language import staff_words
    from cli.start import load_settings

    console = Console()
    settings = load_settings()
    words = staff_words(lang, settings)
    try:
        asyncio.run(alert_status(settings, alert_id, console, words))
    except CommandError as error:
        refuse(console, words, error)


def refuse(console: Console, words: StaffWords, error: Exception) -> NoReturn:
    """Print why the command cannot go on, in the staff's language, and exit 1."""
    console.print(words.said(error.args[0]), style="red", markup=False, highlight=False)
    raise typer.Exit(1) from None


@alerts_app.command("cap-check")
def cap_check(
    document: Annotated[Path, typer.Argument(help="A CAP 1.2 (or 1.1) XML file.")],
    lang: LangOption = None,
) -> None:
    """Check a CAP document (safety, OASIS schema, CAP rules): one line, exit 1 if invalid.

    The line starts with `valid:` or `invalid:` in every language, for scripts; the rest is
    in the staff's language."""
    from alerts.cap.parse import MAX_BYTES, CapError, parse
    from cli.staff_language import staff_words
    from core.file_reasons import why_unreadable
    from core.said import Said

    words = staff_words(lang)
    try:
        with document.open("rb") as handle:
            alert = parse(handle.read(MAX_BYTES + 1))
    except OSError as error:
        reason = Said("cli.cannot_read", path=str(document), problem=why_unreadable(error))
        typer.echo(f"invalid: {words.said(reason)}")
        raise typer.Exit(1) from None
    except CapError as error:
        typer.echo(f"invalid: {words.said(error.reason)}")
        raise typer.Exit(1) from None
    none = words("cli.cap_check.none")
    languages = ", ".join(info.language for info in alert.infos) or none
    areas = [area for info in alert.infos for area in info.areas]
    kinds = [
        words(f"cli.cap_check.{kind}")
        for kind, present in (
            ("polygon", any(area.polygons for area in areas)),
            ("circle", any(area.circles for area in areas)),
            ("geocode", any(area.geocodes for area in areas)),
        )
        if present
    ]
    summary = words(
        "cli.cap_check.valid",
        version=alert.version,
        msg_type=alert.msg_type,
        status=alert.status,
        languages=languages,
        areas=", ".join(kinds) or none,
    )
    typer.echo(f"valid: {summary}")


@alerts_app.command("import-registry")
def import_registry_command(
    file: Annotated[Path, typer.Argument(help="The official list: CSV or XLSX.")],
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN for a header that is not recognised."),
    ] = None,
    consent_version: Annotated[
        str | None,
        typer.Option(help="Version of the consent text, for lists that do not say."),
    ] = None,
    default_language: Annotated[
        str | None, typer.Option(help="kk, ru or en, for rows that do not say.")
    ] = None,
    problems_csv: Annotated[
        Path | None, typer.Option(help="Also write every problem to this CSV file.")
    ] = None,
    actor: Annotated[str, typer.Option("--as", help="Who imports it, for the audit log.")] = "cli",
    replace_region: Annotated[
        str | None,
        typer.Option(
            "--replace-region",
            metavar="KATO",
            help="The file is the whole list of this region: its list registrants the file "
            "no longer names are marked inactive.",
        ),
    ] = None,
    full_list: Annotated[
        bool,
        typer.Option(
            "--full-list", help="The file is the whole country's list (like --replace-region)."
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Import the emergency-registration list; problems are reported, valid rows stored."""
    from cli.registry_import import CommandError, run_import
    from cli.staff_language import staff_words

    words = staff_words(lang)
    try:
        code = run_import(
            file,
            mapping=mapping or [],
            consent_version=consent_version,
            default_language=default_language,
            problems_csv=problems_csv,
            actor=actor,
            replace_region=replace_region,
            full_list=full_list,
            words=words,
        )
    except CommandError as error:
        refuse(Console(stderr=True), words, error)
    raise typer.Exit(code)
