"""Which processes are bound to the SMS centre now, announced in the database.

The SMS centre sends receipts and replies to any bind of the account. A process that is bound
(a worker, the console, `komek run`) renews a row with its bind and an expiry every few
seconds on its clock; the row lapses when the process dies and goes when it closes.
`komek alerts send` reads them: with another process bound to the same account, it leaves the
receipts and replies to that process instead of waiting for them itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.channels.smpp_config import SmppConfig
from alerts.models import SmscBind
from core.clock import Clock

log = logging.getLogger(__name__)

RENEW_SECONDS = 10.0
"""How often a bound process renews its row."""
LAPSE_SECONDS = 30.0
"""How long a row holds after its last renewal: a process that died is forgotten by then."""


def bind_name(config: SmppConfig) -> str:
    """The account a bind is to: receipts of one account reach any of its binds."""
    return f"{config.host}:{config.port}/{config.system_id}"


async def announce(
    session: AsyncSession, *, process: str, bind: str, clock: Clock, seconds: float
) -> None:
    """This process is bound to `bind` for `seconds` more, unless renewed."""
    expires = clock.now() + timedelta(seconds=seconds)
    row = await session.get(SmscBind, process)
    if row is None:
        session.add(SmscBind(process=process, bind=bind, expires_at=expires))
    else:
        row.bind, row.expires_at = bind, expires


async def withdraw(session: AsyncSession, *, process: str) -> None:
    await session.execute(delete(SmscBind).where(SmscBind.process == process))


async def others_bound(
    session: AsyncSession, *, process: str, bind: str, clock: Clock
) -> list[str]:
    """Other processes bound to the same account now (their rows not lapsed)."""
    rows = await session.scalars(
        select(SmscBind.process)
        .where(
            SmscBind.bind == bind,
            SmscBind.process != process,
            SmscBind.expires_at > clock.now(),
        )
        .order_by(SmscBind.process)
    )
    return list(rows)


async def keep_announced(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    process: str,
    bind: str,
    bound: Callable[[], bool],
    wait_bound: Callable[[float], Awaitable[bool]],
) -> None:
    """Renew this process's row while `bound()` says so, and withdraw it when not (or when
    cancelled); a new bind is announced as soon as `wait_bound` returns. Runs until
    cancelled."""
    try:
        while True:
            try:
                async with sessions() as session, session.begin():
                    is_bound = bound()
                    if is_bound:
                        await announce(
                            session, process=process, bind=bind, clock=clock, seconds=LAPSE_SECONDS
                        )
                    else:
                        await withdraw(session, process=process)
            except SQLAlchemyError as error:  # the database busy or away: try again later
                log.warning("could not announce the SMSC bind: %s", type(error).__name__)
                is_bound = True  # wait a renewal's time, not for a bind
            if is_bound:
                await clock.sleep(RENEW_SECONDS)
            else:
                await wait_bound(RENEW_SECONDS)
    finally:
        with contextlib.suppress(SQLAlchemyError, asyncio.CancelledError):
            async with sessions() as session, session.begin():
                await withdraw(session, process=process)
