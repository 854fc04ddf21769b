"""Personal data encrypted at rest with KOMEK_DATA_KEY: nothing readable in the database file,
while SMS replies by phone, re-imports of the list and targeting by place still work; and a
database written before the key was set still reads, and is encrypted by encrypt-existing."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from sqlalchemy import func, select
from typer.testing import CliRunner

from alerts.acks import Acks
from alerts.cap.export import to_xml
from alerts.models import AlertRecipient, Registrant
from alerts.registry.importer import import_registry
from alerts.registry.store import RegistrantKey, upsert
from bookings.models import Booking
from cli.alerts_runtime import AlertSystem
from cli.main import app
from core import encryption
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.encryption import Keyring, new_key
from core.models import HandoverRequest, Person
from core.settings import Settings
from tests.alerts.broadcast import (
    SENT,
    add_registrants,
    alert,
    alert_received,
    circle,
    smpp_alert_system,
)
from tests.core.encryption.values import (
    INSIDE,
    KEY,
    LIST_HEADER,
    LIST_ROWS,
    LIST_VALUES,
    NO_PLACE,
    NOW,
    OUTSIDE,
    SECRETS,
)
from tests.servers.smsc import Smsc
from tests.waiting import until


def database_text(settings: Settings) -> str:
    """Everything in the SQLite file as SQL text, read without Kömek (raw SQL)."""
    connection = sqlite3.connect(settings.data_dir / "komek.db")
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def rows(output: str, table: str) -> int:
    """The number a command's table shows for `table`."""
    found = re.search(rf"│ {table}\s+│\s+(\d+) │", output)
    assert found is not None, output
    return int(found.group(1))


def write_list(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([LIST_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_malformed_key_is_refused_at_start_with_what_to_do() -> None:
    with pytest.raises(ValidationError, match="komek privacy new-key"):
        Settings(_env_file=None, data_key="not-a-key")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="not a valid key") as truncated:
        Settings(_env_file=None, data_key=KEY[:-4])  # type: ignore[call-arg]
    assert KEY[:-4] not in str(truncated.value)  # a mistyped key is not repeated in the logs
    assert Settings(_env_file=None, data_key="").data_key is None  # type: ignore[call-arg]
    assert Settings(_env_file=None, data_key=KEY).data_key == SecretStr(KEY)  # type: ignore[call-arg]


def test_the_new_key_command_prints_a_usable_key() -> None:
    printed = CliRunner().invoke(app, ["privacy", "new-key"])

    assert printed.exit_code == 0
    key = printed.output.strip()
    assert key != KEY
    assert Settings(_env_file=None, data_key=key).data_key is not None  # type: ignore[call-arg]


async def test_every_way_of_writing_a_phone_keeps_its_blind_index(
    sessions: SessionFactory,
) -> None:
    keyring = encryption.keyring()
    assert keyring is not None
    await add_registrants(sessions, [{"phone": INSIDE}])  # a bulk INSERT without the index
    async with sessions.begin() as session:
        session.add(Registrant(phone=OUTSIDE, created_at=NOW, updated_at=NOW, **LIST_VALUES))
        changed, _ = await upsert(session, RegistrantKey(telegram_chat_id=8), LIST_VALUES, NOW)
    async with sessions.begin() as session:
        await upsert(session, RegistrantKey(phone=NO_PLACE, telegram_chat_id=8), {}, NOW)
        moved = await session.get_one(Registrant, changed.id)
        moved.phone = "+77015550022"  # an attribute set on a loaded object
    async with sessions() as session:
        indexed = dict(
            (await session.execute(select(Registrant.phone, Registrant.phone_hash))).all()
        )
        found = await Acks(ManualClock()).answer_by_phone(session, "+77015550022", "1")

    assert indexed == {
        phone: keyring.blind_index(phone) for phone in (INSIDE, OUTSIDE, "+77015550022")
    }
    assert found is None  # found by the index; it has no alert to answer
    assert keyring.blind_index(INSIDE) != Keyring(new_key()).blind_index(INSIDE)


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    async with Smsc() as running:
        yield running


@pytest.fixture
async def system(
    settings: Settings, sessions: SessionFactory, smsc: Smsc
) -> AsyncIterator[AlertSystem]:
    async with smpp_alert_system(settings, sessions, smsc) as built:
        yield built


async def test_with_a_key_the_file_holds_no_phone_or_place_and_alerts_still_work(
    settings: Settings,
    sessions: SessionFactory,
    system: AlertSystem,
    smsc: Smsc,
    tmp_path: Path,
) -> None:
    listed = write_list(tmp_path / "list.csv", LIST_ROWS)
    first = await import_registry(
        sessions, listed, actor="staff:anna", now=NOW, consent_version="1"
    )
    again = await import_registry(
        sessions, listed, actor="staff:anna", now=NOW, consent_version="1"
    )
    changed = [LIST_ROWS[0].replace(";ru;", ";kk;"), *LIST_ROWS[1:]]
    corrected = await import_registry(
        sessions,
        write_list(tmp_path / "fixed.csv", changed),
        actor="a",
        now=NOW,
        consent_version="1",
    )
    async with sessions.begin() as session:
        person = Person(telegram_id=5, language="ru", phone="+77019998877", created_at=NOW)
        session.add(person)
        await session.flush()
        session.add(
            Booking(
                person_id=person.id,
                service="social_taxi",
                address="ул. Абая 150, кв. 12",
                latitude=43.2401,
                longitude=76.9155,
                purpose="к кардиологу",
                status="requested",
                created_at=NOW,
                updated_at=NOW,
            )
        )

    stored = await system.service.receive(
        to_xml(alert("enc-quake", areas=[circle(43.25, 76.93, 3)])), actor="test"
    )
    await system.service.approve(stored.id, actor="test")
    await system.fanout.wait_idle()
    await smsc.wait_for(lambda: len(smsc.received()) == 2)
    reached = sorted("+" + message.destination for message in smsc.received())
    await smsc.send_text(INSIDE, "2")

    async def answered() -> bool:
        async with sessions() as session:
            return bool(
                await session.scalar(select(func.count()).where(AlertRecipient.answer == "help"))
            )

    await until(answered, 20.0)

    assert (first.imported, again.unchanged, corrected.updated, corrected.imported) == (3, 3, 1, 0)
    assert reached == sorted([INSIDE, NO_PLACE])  # by place, and by region without a place
    await smsc.wait_for(lambda: len(smsc.received()) == 3)
    assert "+" + smsc.received()[-1].destination == INSIDE  # "help is being arranged"
    async with sessions() as session:
        registrants = {r.phone: r for r in (await session.scalars(select(Registrant))).all()}
        (request,) = (await session.scalars(select(HandoverRequest))).all()
    assert sorted(registrants) == sorted([INSIDE, OUTSIDE, NO_PLACE])
    inside = registrants[INSIDE]
    assert (inside.language, inside.latitude, inside.longitude) == ("kk", 43.2567, 76.9286)
    assert (request.registrant_id, request.latitude, request.longitude) == (
        inside.id,
        43.2567,
        76.9286,
    )
    dump = database_text(settings)
    for secret in (*SECRETS, "7019998877", "Абая", "кардиолог", "43.2401", "76.9155"):
        assert secret not in dump, secret
    # Phones and places of the list (3 + 2 × 2), the person's phone, the booking's address,
    # place and purpose (4), and the place copied to the help request (2).
    assert dump.count("'enc:v1:gAAAAA") == 7 + 1 + 4 + 2


async def test_a_database_written_without_a_key_reads_after_the_key_is_set(
    tmp_path: Path,
) -> None:
    plain = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]
    engine = create_engine(plain)
    await upgrade(engine)
    sessions = session_factory(engine)
    await add_registrants(  # a bulk INSERT that does not name the blind index
        sessions,
        [
            {"phone": INSIDE, "latitude": 43.2567, "longitude": 76.9286, "contact_phone": OUTSIDE},
            {"phone": NO_PLACE},
        ],
    )
    async with sessions.begin() as session:
        person = Person(telegram_id=7, language="kk", created_at=NOW)
        session.add(person)
        await session.flush()
        session.add(
            HandoverRequest(
                person_id=person.id, language="kk", note="enc: not a secret", created_at=NOW
            )
        )
    await engine.dispose()
    assert "7011234567" in database_text(plain)  # stored in plain text without a key

    keyed = plain.model_copy(update={"data_key": SecretStr(KEY)})
    engine = create_engine(keyed)
    sessions = session_factory(engine)
    clock = ManualClock(SENT)
    async with sessions.begin() as session:
        inside = await session.scalar(select(Registrant).where(Registrant.phone_hash == INSIDE))
        assert inside is not None
        assert (inside.phone, inside.latitude, inside.contact_phone) == (INSIDE, 43.2567, OUTSIDE)
        await alert_received(session, inside.id, identifier="old-1", language="ru", now=SENT)
        before_key = await Acks(clock).answer_by_phone(session, INSIDE, "1")
    await engine.dispose()

    env = {
        "KOMEK_DATA_DIR": str(tmp_path / "var"),
        "KOMEK_DATA_KEY": KEY,
        "KOMEK_LOG_LEVEL": "WARNING",
    }
    runner = CliRunner()
    command = ["privacy", "encrypt-existing"]
    first = await asyncio.to_thread(runner.invoke, app, command, env=env)
    second = await asyncio.to_thread(runner.invoke, app, command, env=env)

    assert before_key is not None and before_key.recipient.answer == "safe"
    assert first.exit_code == 0, first.output
    assert "All personal data in the database is encrypted." in first.output
    assert [rows(first.output, table) for table in ("registrants", "handover requests")] == [2, 1]
    assert second.exit_code == 0, second.output
    assert [rows(second.output, table) for table in ("registrants", "handover requests")] == [0, 0]
    dump = database_text(keyed)
    for secret in ("7011234567", "7017654321", "7015550011", "43.2567", "not a secret"):
        assert secret not in dump, secret
    engine = create_engine(keyed)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        hashes = (await session.scalars(select(Registrant.phone_hash))).all()
        await alert_received(session, inside.id, identifier="old-2", language="ru", now=SENT)
        after_key = await Acks(clock).answer_by_phone(session, INSIDE, "2")
        note = await session.scalar(select(HandoverRequest.note))
    await engine.dispose()
    assert all(len(value) == 64 and not value.startswith("+") for value in hashes)
    assert after_key is not None and after_key.help_request is not None
    assert after_key.help_request.latitude == 43.2567
    assert note == "enc: not a secret"  # a plain value that looked like ciphertext
