"""Data written under one key, under none, or before encryption existed: read where it may,
refused with what to do where it may not; on PostgreSQL too."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from alerts.acks import Acks
from alerts.models import Registrant
from alerts.targeting import Audience, preview
from core.clock import ManualClock
from core.database import create_engine, session_factory, upgrade
from core.encryption import DataKeyError, new_key
from core.models import Person
from core.settings import Settings
from tests.alerts.broadcast import SENT, add_registrants, alert, alert_received, circle
from tests.conftest import need
from tests.core.encryption.values import (
    INSIDE,
    KEY,
    NO_PLACE,
    NOW,
    OUTSIDE,
)
from tests.servers.postgres import postgres_bin, running_postgres


async def test_a_migration_from_0007_keeps_every_value(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]
    engine = create_engine(settings)
    await upgrade(engine, "0007")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO registrants (phone, disability_kinds, language, region, latitude, "
                "longitude, contact_phone, wants_sms, consent_source, consent_version, consent_at, "
                "active, test_group, created_at, updated_at) VALUES (:phone, '[]', 'ru', '75', "
                "43.2567, 76.9286, NULL, 0, 'list', '1', :now, 0, 0, :now, :now)"
            ),
            {"phone": INSIDE, "now": "2026-01-01 00:00:00.000000"},
        )
    await upgrade(engine)
    await engine.dispose()

    engine = create_engine(settings.model_copy(update={"data_key": SecretStr(KEY)}))
    async with session_factory(engine)() as session:
        (registrant,) = (await session.scalars(select(Registrant))).all()
        found = await Acks(ManualClock()).answer_by_phone(session, INSIDE, "1")
    await engine.dispose()

    assert (registrant.phone, registrant.phone_hash) == (INSIDE, INSIDE)
    assert (registrant.latitude, registrant.longitude) == (43.2567, 76.9286)
    assert registrant.inactive_since == datetime(2026, 1, 1, tzinfo=UTC)
    assert found is None  # found by phone, but no alert to answer


async def test_another_key_cannot_read_the_data_and_says_so(settings: Settings) -> None:
    engine = create_engine(settings)
    await upgrade(engine)
    async with session_factory(engine).begin() as session:
        session.add(Person(telegram_id=9, language="ru", phone=INSIDE, created_at=NOW))
    await engine.dispose()

    engine = create_engine(settings.model_copy(update={"data_key": SecretStr(new_key())}))
    with pytest.raises(DataKeyError, match="written with another key"):
        async with session_factory(engine)() as session:
            await session.scalar(select(Person.phone))
    await engine.dispose()
    engine = create_engine(settings.model_copy(update={"data_key": None}))
    with pytest.raises(DataKeyError, match="set KOMEK_DATA_KEY"):
        async with session_factory(engine)() as session:
            await session.scalar(select(Person.phone))
    await engine.dispose()


@pytest.mark.postgres
async def test_on_postgresql_plain_and_encrypted_rows_are_targeted_and_found_by_phone() -> None:
    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    area = alert("pg-quake", areas=[circle(43.25, 76.93, 3)])
    inside = {"latitude": 43.2567, "longitude": 76.9286}
    with running_postgres() as url:
        plain = Settings(_env_file=None, environment="test", database_url=url)  # type: ignore[call-arg]
        engine = create_engine(plain)
        await upgrade(engine)
        await add_registrants(
            session_factory(engine),
            [{"phone": INSIDE, **inside}, {"phone": OUTSIDE, "latitude": 51.1, "longitude": 71.4}],
        )
        async with session_factory(engine)() as session:
            before_key = await preview(session, area, Audience(), test_group_only=False)
        await engine.dispose()

        engine = create_engine(plain.model_copy(update={"data_key": SecretStr(KEY)}))
        sessions = session_factory(engine)
        await add_registrants(sessions, [{"phone": NO_PLACE, **inside}])
        async with sessions.begin() as session:
            with_key = await preview(session, area, Audience(), test_group_only=False)
            stored = (await session.scalars(select(Registrant).order_by(Registrant.id))).all()
            raw = (
                await session.execute(text("SELECT phone, latitude FROM registrants ORDER BY id"))
            ).all()
            for registrant in stored:
                await alert_received(
                    session,
                    registrant.id,
                    identifier=f"pg-{registrant.id}",
                    language="ru",
                    now=SENT,
                )
            answers = [
                await Acks(ManualClock(SENT)).answer_by_phone(session, phone, "1")
                for phone in (INSIDE, NO_PLACE)
            ]
        await engine.dispose()

    assert before_key.recipients == 1
    assert with_key.recipients == 2  # one plain row, one encrypted, both inside
    assert [r.phone for r in stored] == [INSIDE, OUTSIDE, NO_PLACE]
    assert raw[2][0].startswith("enc:v1:") and raw[2][1].startswith("enc:v1:")
    assert raw[0] == (INSIDE, "43.2567")  # written before the key: plain until encrypt-existing
    assert all(answer is not None and answer.recipient.answer == "safe" for answer in answers)
