"""Helpers for broadcast tests: CAP alerts built in code, registrants written to the list."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

from pydantic import SecretStr
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.cap.model import Area, CapAlert, Circle, Info, Reference
from alerts.fanout.sender import CHUNK, CHUNKS_AHEAD, IN_FLIGHT
from alerts.models import Alert, AlertRecipient, Registrant
from bot.telegram.app import build_bot
from cli.alerts_runtime import AlertSystem, alert_system
from core.clock import SystemClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.settings import Settings, SmsBackend
from voice.service import Voice

SENDER = "dispatch@komek.test"
SENT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def info(language: str, *, severity: str = "Extreme", areas: Sequence[Area] = ()) -> Info:
    texts = {
        "ru": (
            "Землетрясение",
            "Сильное землетрясение в Алматы",
            "Выйдите из здания сейчас. Отойдите от стен и проводов.",
        ),
        "kk": (
            "Жер сілкінісі",
            "Алматыда күшті жер сілкінісі",
            "Ғимараттан қазір шығыңыз. Қабырғалар мен сымдардан алыс тұрыңыз.",
        ),
        "en": (
            "Earthquake",
            "Strong earthquake in Almaty",
            "Leave the building now. Keep away from walls and wires.",
        ),
    }[language]
    return Info(
        language=language,
        categories=("Geo",),
        event=texts[0],
        urgency="Immediate",
        severity=severity,
        certainty="Observed",
        headline=texts[1],
        instruction=texts[2],
        expires=SENT + timedelta(days=30),
        areas=tuple(areas) or (Area("Almaty", geocodes=(("KATO", "750000000"),)),),
    )


def alert(
    identifier: str,
    *,
    status: str = "Actual",
    msg_type: str = "Alert",
    severity: str = "Extreme",
    areas: Sequence[Area] = (),
    references: Sequence[str] = (),
    languages: Sequence[str] = ("kk", "ru", "en"),
) -> CapAlert:
    return CapAlert(
        identifier=identifier,
        sender=SENDER,
        sent=SENT,
        status=status,
        msg_type=msg_type,
        scope="Public",
        references=tuple(Reference(SENDER, ref, SENT) for ref in references),
        infos=tuple(info(language, severity=severity, areas=areas) for language in languages),
    )


def circle(latitude: float, longitude: float, radius_km: float) -> Area:
    return Area("circle", circles=(Circle(latitude, longitude, radius_km),))


async def add_registrants(
    sessions: SessionFactory,
    rows: Sequence[dict[str, object]],
    *,
    now: datetime = SENT,
) -> None:
    """Registrants with defaults: Russian, Almaty (KATO 75), deaf, consent from the list."""
    values = [
        {
            "language": "ru",
            "region": "75",
            "disability_kinds": ["deaf"],
            "wants_sms": False,
            "consent_source": "list",
            "consent_version": "test",
            "consent_at": now,
            "active": True,
            "test_group": False,
            "created_at": now,
            "updated_at": now,
        }
        | dict(row)
        for row in rows
    ]
    async with sessions.begin() as session:
        for start in range(0, len(values), 5000):
            await session.execute(insert(Registrant), values[start : start + 5000])


async def alert_received(
    session: AsyncSession,
    registrant_id: int,
    *,
    identifier: str,
    language: str,
    now: datetime,
) -> Alert:
    """An Actual, Extreme alert stored as sent to one registrant, escalation due in 10 minutes."""
    alert = Alert(
        identifier=identifier,
        sender=SENDER,
        sent=now,
        status="Actual",
        msg_type="Alert",
        severity="Extreme",
        document={},
        cap_xml="<alert/>",
        state="sent",
        created_by="test",
        created_at=now,
    )
    session.add(alert)
    await session.flush()
    session.add(
        AlertRecipient(
            alert_id=alert.id,
            registrant_id=registrant_id,
            language=language,
            created_at=now,
            next_step_at=now + timedelta(minutes=10),
        )
    )
    await session.flush()
    return alert


class SmscAddress(Protocol):
    """Where an SMS centre listens: smpp34's (`Smsc`) or node-smpp's (`NodeSmsc`)."""

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...


@asynccontextmanager
async def smpp_alert_system(
    settings: Settings, sessions: SessionFactory, smsc: SmscAddress
) -> AsyncIterator[AlertSystem]:
    """The fan-out sending SMS over SMPP to `smsc` (no Telegram)."""
    settings = settings.model_copy(
        update={
            "sms_backend": SmsBackend.SMPP,
            "smpp_host": smsc.host,
            "smpp_port": smsc.port,
            "smpp_system_id": "komek",
            "smpp_password": SecretStr("secret"),
            "smpp_throughput": 500.0,
        }
    )
    async with alert_system(
        settings, sessions, SystemClock(), bot=None, catalogs=Catalogs.load(), voice=None
    ) as built:
        yield built


@asynccontextmanager
async def telegram_alert_system(
    settings: Settings,
    sessions: SessionFactory,
    bot_api: str,
    *,
    token: str,
    voice: Voice | None = None,
    in_flight: int = IN_FLIGHT,
    sandbox_url: str | None = None,
    chunk: int = CHUNK,
    chunks_ahead: int = CHUNKS_AHEAD,
) -> AsyncIterator[AlertSystem]:
    """The fan-out sending by Telegram through the Bot API at `bot_api` (the sandbox's)."""
    bot = build_bot(token, bot_api)
    try:
        async with alert_system(
            settings,
            sessions,
            SystemClock(),
            bot=bot,
            catalogs=Catalogs.load(),
            voice=voice,
            in_flight=in_flight,
            sandbox_url=sandbox_url,
            chunk=chunk,
            chunks_ahead=chunks_ahead,
        ) as built:
            yield built
    finally:
        await bot.session.close()
