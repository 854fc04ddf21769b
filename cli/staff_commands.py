"""`komek users …` and `komek api-senders …`: staff accounts and CAP API senders."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from core.clock import SystemClock
from core.staff.accounts import StaffAccounts, region_prefixes
from core.staff.credentials import WeakPassword
from core.staff.errors import AccountError
from core.staff.roles import Role, parse_roles

users_app = typer.Typer(help="Staff accounts of the console.", no_args_is_help=True)
senders_app = typer.Typer(
    help="Alerting authorities that post CAP to /api/cap.", no_args_is_help=True
)

CLI_ACTOR = "cli"
T = TypeVar("T")

RolesOption = Annotated[
    str, typer.Option("--roles", help=f"Comma-separated: {', '.join(r.value for r in Role)}.")
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _with_accounts(work: Callable[[StaffAccounts], Awaitable[T]]) -> T:
    from cli.start import load_settings, migrated_sessions

    settings = load_settings()

    async def main() -> T:
        async with migrated_sessions(settings) as sessions:
            return await work(StaffAccounts(sessions, SystemClock()))

    try:
        return asyncio.run(main())
    except (AccountError, WeakPassword) as problem:
        typer.echo(f"Refused: {problem}", err=True)
        raise typer.Exit(1) from None


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="The name they sign in with.")],
    roles: RolesOption = "dispatcher",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account (the password is asked for, twice, and never shown)."""
    try:
        wanted = parse_roles(roles)
    except ValueError as problem:
        typer.echo(f"Refused: {problem}", err=True)
        raise typer.Exit(2) from None
    password = _password(password_stdin)
    _with_accounts(lambda a: a.create(username, password, wanted, actor=CLI_ACTOR))
    typer.echo(f"Created {username} ({', '.join(sorted(wanted))}).")


@users_app.command("disable")
def disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account and end its sessions."""
    _with_accounts(lambda a: a.set_active(username, False, actor=CLI_ACTOR))
    typer.echo(f"Disabled {username}.")


@users_app.command("enable")
def enable(username: Annotated[str, typer.Argument()]) -> None:
    """Enable an account again (this also lifts a lockout)."""
    _with_accounts(lambda a: a.set_active(username, True, actor=CLI_ACTOR))
    typer.echo(f"Enabled {username}.")


@users_app.command("reset-password")
def reset_password(
    username: Annotated[str, typer.Argument()], password_stdin: PasswordStdin = False
) -> None:
    """Set a new password, lift a lockout and end the account's sessions."""
    password = _password(password_stdin)
    _with_accounts(lambda a: a.reset_password(username, password, actor=CLI_ACTOR))
    typer.echo(f"New password set for {username}.")


@users_app.command("regions")
def set_regions(
    username: Annotated[str, typer.Argument()],
    codes: Annotated[str, typer.Argument(help="KATO prefixes, comma-separated: 75,71")],
) -> None:
    """Set the regions a coordinator's organisation serves: their bookings only."""
    try:
        regions = region_prefixes(codes)
    except AccountError as error:
        raise typer.BadParameter(str(error)) from None
    _with_accounts(lambda a: a.set_regions(username, regions, actor=CLI_ACTOR))
    typer.echo(f"{username} sees bookings in: {', '.join(regions) or 'no region'}.")


@users_app.command("list")
def list_users() -> None:
    """Accounts, their roles and whether they are active."""
    for user in _with_accounts(lambda a: a.list()):
        state = "active" if user.active else "disabled"
        regions = ",".join(user.regions or ()) or "-"
        typer.echo(f"{user.username}\t{','.join(user.roles)}\t{state}\t{regions}")


@senders_app.command("create")
def create_sender(
    name: Annotated[str, typer.Argument(help="The authority's name.")],
    cap_sender: Annotated[
        list[str],
        typer.Option(
            "--cap-sender",
            help="A CAP <sender> value its documents carry (repeat for several); "
            "documents with any other <sender> are refused.",
        ),
    ],
) -> None:
    """Create a sender and print its API token once (it is stored only as a hash)."""
    token = _with_accounts(
        lambda a: a.api_senders.create(name, actor=CLI_ACTOR, cap_senders=cap_sender)
    )
    typer.echo(f"API token for {name} (shown once; keep it secret):")
    typer.echo(token)


@senders_app.command("add-cap-sender")
def add_cap_sender(
    name: Annotated[str, typer.Argument(help="The authority's name.")],
    cap_sender: Annotated[str, typer.Argument(help="A CAP <sender> value it may post as.")],
) -> None:
    """Let a sender post documents with one more CAP <sender> value (each has one owner)."""
    _with_accounts(lambda a: a.api_senders.add_cap_sender(name, cap_sender, actor=CLI_ACTOR))
    typer.echo(f"{name} may now send as {cap_sender}.")
