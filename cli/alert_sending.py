"""Sending an alert from the command line, with a live view, and showing where one stands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from alerts.cap.parse import CapError
from alerts.channels.base import Channel
from alerts.channels.bind_presence import bind_name, others_bound
from alerts.channels.smpp import SmppChannel
from alerts.service import AlertRefused, AlertService, AlertStatus
from alerts.targeting import Audience
from cli.alerts_runtime import telegram_bot, worker_name
from cli.assembly import assembled, is_embedded
from cli.staff_language import StaffWords
from core.clock import Clock
from core.database import SessionFactory
from core.file_reasons import why_unreadable
from core.heap import freeze_startup_heap
from core.said import Said
from core.settings import Settings

FINAL = ("sent", "delivered", "failed", "expired")


class CommandError(Exception):
    """Something the operator must fix; the message says what."""


def _done(status: AlertStatus) -> tuple[int, int]:
    total = sum(sum(states.values()) for states in status.deliveries.values())
    done = sum(
        count
        for states in status.deliveries.values()
        for state, count in states.items()
        if state in FINAL
    )
    return done, total


async def send_alert(
    settings: Settings,
    path: Path,
    *,
    actor: str,
    exercise: bool,
    audience: Audience,
    wait: bool,
    console: Console,
    words: StaffWords,
) -> int:
    """Receive, preview, approve and follow an alert, telling the operator in `words`' language;
    return its id."""
    try:
        document = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        raise CommandError(
            Said("cli.cannot_read", path=str(path), problem=why_unreadable(error))
        ) from None
    sends_here = is_embedded(settings)
    if sends_here and settings.telegram_token is None and settings.sms_backend == "none":
        raise CommandError(
            "nothing to send with: set KOMEK_TELEGRAM_TOKEN (and KOMEK_TELEGRAM_API_URL for the "
            "sandbox), an SMS backend, or KOMEK_REDIS_URL to hand the alert to the workers"
        )
    async with (
        telegram_bot(settings, wanted=sends_here) as bot,
        assembled(settings, voice=sends_here) as app,
        # This process leaves receipts to others; it is not one to leave them to.
        app.alerts(bot=bot, announce_bind=False) as system,
    ):
        service = system.service
        try:
            alert = await service.receive(
                document, actor=actor, exercise=exercise, audience=audience, origin="cli"
            )
        except CapError as error:
            raise CommandError(Said("cli.alerts.invalid_cap", reason=error.reason)) from None
        except AlertRefused as error:
            raise CommandError(error.reason) from None
        preview = await service.preview(alert.id)
        console.print(
            words(
                "cli.alerts.preview",
                id=alert.id,
                msg_type=alert.msg_type,
                status=alert.status,
                people=preview.recipients,
                text=preview.telegram_text,
                voice=preview.telegram_voice,
                sms=preview.sms,
                none=preview.unreachable,
            ),
            markup=False,
        )
        if sends_here:  # this process is the fan-out: no long pauses while it sends
            freeze_startup_heap()
        await service.approve(alert.id, actor=actor, origin="cli")
        if wait or sends_here:
            smsc_trouble = await _smsc_trouble(system.sms) if sends_here else None
            if smsc_trouble is not None:
                console.print(f"[red]{smsc_trouble}[/red]")
            await _follow(service, alert.id, console, words, sms_stuck=smsc_trouble is not None)
            if smsc_trouble is None and system.sms is not None:
                others = _others_bound(app.sessions, app.clock, system.sms)
                seconds = settings.alert_send_linger_seconds
                await _linger(service, alert.id, console, words, seconds, others)
            if smsc_trouble is not None:
                # Nothing more goes out from here: every SMS row goes back to the queue now,
                # unclaimed, for the next process with a bind.
                system.fanout.hand_back()
                if system.sms is not None:
                    await system.sms.close()
                await system.fanout.wait_idle()
                raise CommandError(SMS_LEFT_QUEUED)
        return alert.id


SMS_LEFT_QUEUED = (
    "The SMS stay queued: they go out with the next bind to the SMS centre "
    "(a running `komek worker` or `komek run`, or `komek alerts send` again)."
)


async def _smsc_trouble(channel: Channel | None) -> str | None:
    """What the operator must know when the SMSC does not accept this process's bind in time.

    Waits at most KOMEK_SMPP_CONNECT_TIMEOUT; None when the bind is up (or SMS are not SMPP).
    """
    if not isinstance(channel, SmppChannel):
        return None
    config = channel.config
    if await channel.wait_bound(config.connect_timeout):
        return None
    where = f"{config.host}:{config.port}"
    if channel.refusal is not None:
        return (
            f"The SMS centre at {where} refused the bind ({channel.refusal.rsplit(' ', 1)[-1]}):"
            " check KOMEK_SMPP_SYSTEM_ID, KOMEK_SMPP_PASSWORD and KOMEK_SMPP_SYSTEM_TYPE."
        )
    return (
        f"No bind with the SMS centre at {where} after {config.connect_timeout:g} s "
        "(KOMEK_SMPP_CONNECT_TIMEOUT): it is down or out of reach."
    )


async def _follow(
    service: AlertService,
    alert_id: int,
    console: Console,
    words: StaffWords,
    *,
    sms_stuck: bool = False,
) -> None:
    """A live progress bar until every delivery has an outcome (with the SMSC down: every
    delivery but the SMS, which stay queued)."""
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(words("console.delivery.sending"), total=None)
        while True:
            status = await service.status(alert_id)
            done, total = _done(status)
            progress.update(task, completed=done, total=total or None)
            if status.state == "sent" and total and done >= total:
                break
            if sms_stuck and status.state == "sent" and _only_sms_left(status):
                break
            await asyncio.sleep(0.25)
    show_status(status, console, words)


LINGER_POLL_SECONDS = 0.5


Others = Callable[[], Awaitable[list[str]]]
"""The other processes bound to the same SMS centre account now."""


def _others_bound(sessions: SessionFactory, clock: Clock, channel: Channel) -> Others:
    async def others() -> list[str]:
        if not isinstance(channel, SmppChannel):
            return []
        async with sessions() as session:
            return await others_bound(
                session, process=worker_name(), bind=bind_name(channel.config), clock=clock
            )

    return others


async def _linger(
    service: AlertService,
    alert_id: int,
    console: Console,
    words: StaffWords,
    seconds: float,
    others: Others,
) -> None:
    """Keep the bind while SMS receipts are due, up to `seconds`: this process is the one the
    SMSC sends them (and replies) to, unless a worker or the console is bound as well; then
    it hands over to them, at once or as soon as one binds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    status = await service.status(alert_id)
    if not _awaiting_receipts(status) or seconds <= 0:
        return
    if await _handed_over(others, console):
        return
    console.print(
        f"Waiting up to {seconds:g} s for SMS delivery receipts and replies "
        "(KOMEK_ALERT_SEND_LINGER_SECONDS; Ctrl-C stops, a running worker hears the rest)."
    )
    while _awaiting_receipts(status) and loop.time() < deadline:
        await asyncio.sleep(LINGER_POLL_SECONDS)
        if await _handed_over(others, console):
            return
        status = await service.status(alert_id)
    show_status(status, console, words)


async def _handed_over(others: Others, console: Console) -> bool:
    """True, having told the operator, when another process bound to the SMS centre hears
    the receipts and replies still to come."""
    bound = await others()
    if not bound:
        return False
    console.print(
        f"Every message is out. {', '.join(bound)} is bound to the same SMS centre and hears "
        "the delivery receipts and replies still to come; `komek alerts status` shows them."
    )
    return True


def _awaiting_receipts(status: AlertStatus) -> bool:
    return any(
        status.deliveries.get(channel, {}).get("sent", 0) for channel in ("sms", "contact_sms")
    )


def _only_sms_left(status: AlertStatus) -> bool:
    """Every delivery has an outcome but SMS ones (the SMS stay queued)."""
    return all(
        state in FINAL or channel in ("sms", "contact_sms")
        for channel, states in status.deliveries.items()
        for state, count in states.items()
        if count
    )


def show_status(status: AlertStatus, console: Console, words: StaffWords) -> None:
    """Deliveries by channel and state, and the answers, in the staff's language."""
    title = words(
        "cli.alerts.status_title",
        id=status.alert_id,
        identifier=status.identifier,
        state=words.key_or(f"console.alerts.state.{status.state}", status.state),
    )
    table = Table(title=Text(title))
    table.add_column(words("console.progress.channel"))
    for state in ("queued", "sending", *FINAL):
        table.add_column(words(f"console.delivery.{state}"), justify="right")
    for channel, states in sorted(status.deliveries.items()):
        table.add_row(
            words.key_or(f"console.channel.{channel}", channel),
            *(str(states.get(state, 0)) for state in ("queued", "sending", *FINAL)),
        )
    console.print(table)
    console.print(
        words(
            "cli.alerts.answers",
            people=status.recipients,
            safe=status.safe,
            need_help=status.need_help,
            unclear=status.unclear,
            waiting=status.waiting,
            no_answer=status.no_answer,
        ),
        markup=False,
    )


async def alert_status(
    settings: Settings, alert_id: int, console: Console, words: StaffWords
) -> None:
    async with assembled(settings) as app, app.alerts(bot=None, sends=False) as system:
        try:
            status = await system.service.status(alert_id)
        except AlertRefused as error:
            raise CommandError(error.reason) from None
        show_status(status, console, words)
