"""`komek alerts send` against node-smpp's SMS centre, as an operator runs it (issue 17)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.models import Delivery, SmscBind
from cli.alerts_runtime import alert_system, worker_name
from core.clock import SystemClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.settings import Settings, SmsBackend
from tests.alerts.broadcast import add_registrants, alert
from tests.alerts.test_cli_send import _komek
from tests.interop.node_peers import NodeSmsc
from tests.waiting import until


async def _prepared(tmp_path: Path, smsc: NodeSmsc, **extra: str) -> tuple[dict[str, str], Path]:
    env = os.environ | {
        "KOMEK_ENVIRONMENT": "test",
        "KOMEK_DATA_DIR": str(tmp_path / "var"),
        "KOMEK_SMS_BACKEND": "smpp",
        "KOMEK_SMPP_HOST": smsc.host,
        "KOMEK_SMPP_PORT": str(smsc.port),
        "KOMEK_SMPP_SYSTEM_ID": "komek",
        "KOMEK_SMPP_PASSWORD": "Kx7pq2",
        "COLUMNS": "160",
        **extra,
    }
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]
    engine = create_engine(settings)
    await upgrade(engine)
    await add_registrants(
        session_factory(engine),
        [{"phone": "+77010000001", "wants_sms": True}, {"phone": "+77010000002"}],
    )
    await engine.dispose()
    document = tmp_path / "quake.xml"
    document.write_bytes(to_xml(alert("cli-smsc-quake")))
    return env, document


async def _states(tmp_path: Path) -> list[str]:
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as session:
            return list(await session.scalars(select(Delivery.state).order_by(Delivery.id)))
    finally:
        await engine.dispose()


async def test_a_wrong_password_is_named_and_the_sms_stay_queued(
    tmp_path: Path, node_smsc: NodeSmsc
) -> None:
    env, document = await _prepared(
        tmp_path, node_smsc, KOMEK_SMPP_PASSWORD="wrong", KOMEK_SMPP_CONNECT_TIMEOUT="2"
    )
    code, output = await _komek(env, "alerts", "send", str(document), seconds=90)

    assert code == 1, output
    assert "refused the bind (ESME_RINVPASWD)" in output
    assert "KOMEK_SMPP_PASSWORD" in output and "stay queued" in output
    assert await _states(tmp_path) == ["queued", "queued"]
    assert node_smsc.submits == []


async def test_an_smsc_that_is_down_is_named_within_the_connect_timeout(
    tmp_path: Path, node_smsc: NodeSmsc
) -> None:
    env, document = await _prepared(tmp_path, node_smsc, KOMEK_SMPP_CONNECT_TIMEOUT="2")
    env["KOMEK_SMPP_PORT"] = "9"  # discard: nothing listens there on loopback
    code, output = await _komek(env, "alerts", "send", str(document), seconds=90)

    assert code == 1, output
    assert "No bind with the SMS centre at 127.0.0.1:9 after 2 s" in output
    assert await _states(tmp_path) == ["queued", "queued"]


async def test_alerts_send_keeps_its_bind_until_the_receipts_are_in(tmp_path: Path) -> None:
    async with NodeSmsc(password="Kx7pq2") as smsc:
        env, document = await _prepared(tmp_path, smsc)
        await smsc.command("receipts", delay_ms=3000)  # an SMSC a few seconds behind
        code, output = await _komek(env, "alerts", "send", str(document), seconds=90)

    assert code == 0, output
    assert "Waiting up to 120 s for SMS delivery receipts" in output
    assert await _states(tmp_path) == ["delivered", "delivered"]


async def test_alerts_send_hands_over_to_a_process_bound_to_the_same_smsc(tmp_path: Path) -> None:
    """A worker (here an alert system in the test's process) is bound to the same account:
    `komek alerts send` sends, says who hears the rest and exits; the receipts, a few seconds
    behind, reach the worker's bind and complete the deliveries."""
    async with NodeSmsc(password="Kx7pq2") as smsc:
        env, document = await _prepared(tmp_path, smsc)
        await smsc.command("receipts", delay_ms=3000)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            environment="test",
            data_dir=tmp_path / "var",
            sms_backend=SmsBackend.SMPP,
            smpp_host=smsc.host,
            smpp_port=smsc.port,
            smpp_system_id="komek",
            smpp_password=SecretStr("Kx7pq2"),
        )
        engine = create_engine(settings)
        sessions = session_factory(engine)
        try:
            async with alert_system(
                settings, sessions, SystemClock(), bot=None, catalogs=Catalogs.load(), voice=None
            ):
                await until(lambda: _announced(sessions), 60)
                code, output = await _komek(env, "alerts", "send", str(document), seconds=90)

                assert code == 0, output
                assert f"{worker_name()} is bound to the same SMS centre" in output
                assert "Waiting up to" not in output
                assert await _states(tmp_path) == ["sent", "sent"]  # the receipts are behind

                async def delivered() -> bool:
                    return await _states(tmp_path) == ["delivered", "delivered"]

                await until(delivered, 60, every=0.2)
        finally:
            await engine.dispose()


async def _announced(sessions: SessionFactory) -> bool:
    async with sessions() as session:
        return bool(await session.scalar(select(func.count()).select_from(SmscBind)))
