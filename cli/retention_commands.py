"""`komek retention run`: delete and anonymise what is past its time (KOMEK_RETENTION_*).

Run it daily (cron, a systemd timer). `--dry-run` counts without changing anything.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from alerts import retention as alerts_retention
from bookings import retention as bookings_retention
from cli.start import load_settings, migrated_sessions
from core import retention

retention_app = typer.Typer(
    help="Data retention: delete and anonymise personal data past its time.",
    no_args_is_help=True,
)


@retention_app.command("run")
def run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would change; change nothing.")
    ] = False,
    actor: Annotated[str, typer.Option("--as", help="Who runs it, for the audit log.")] = "cli",
) -> None:
    """Delete and anonymise what the retention settings no longer allow to keep."""
    settings = load_settings()
    policy = retention.Policy.from_settings(settings)
    rules = [
        *alerts_retention.rules(policy),
        *retention.core_rules(policy),
        *bookings_retention.rules(policy),
    ]

    async def main() -> dict[str, int]:
        async with migrated_sessions(settings) as sessions:
            return await retention.run(
                sessions, rules, now=datetime.now(UTC), actor=f"staff:{actor}", dry_run=dry_run
            )

    counts = asyncio.run(main())
    title = "Retention: dry run, nothing changed" if dry_run else "Retention"
    table = Table("What", "Rows", title=title)
    for rule in rules:
        table.add_row(rule.label, f"{counts[rule.key]:,}")
    Console(highlight=False).print(table)
