"""A person's data on request: the export holds all of theirs and nothing of anybody else's;
deleting removes all of it, keeps the figures of alerts, and the audit log names nobody."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from alerts import privacy as alerts_privacy
from alerts import subscriptions
from alerts.acks import Acks
from alerts.models import AlertRecipient, Delivery, Registrant
from bookings import privacy as bookings_privacy
from bookings.catalog import load_catalog
from bookings.models import Booking, SlotUsage
from bookings.service import BookingService
from cli.alerts_runtime import alert_system
from cli.main import app
from core import audit, help_thread, notifications
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.models import AuditEntry, Consent, Conversation, HandoverRequest, HelpMessage, Person
from core.people import People
from core.privacy_export import PersonalData
from core.profile import DisabilityKind, Language
from core.settings import Settings
from tests.alerts.broadcast import add_registrants, alert_received
from tests.bookings.conftest import FRIDAY, PROVIDERS, local

ANN = {"telegram_id": 1001, "phone": "+77011110001", "address": "ул. Абая 150, кв. 12", "hour": 9}
BOB = {"telegram_id": 2002, "phone": "+77012220002", "address": "пр. Назарбаева 7", "hour": 11}
CARL = {"phone": "+77013330003"}  # on the official list only, answers by SMS


@dataclass
class World:
    ann: Person
    bob: Person
    alert_id: int
    carl_id: int


def personal_data(clock: ManualClock) -> PersonalData:
    return PersonalData(clock, [bookings_privacy.section(load_catalog()), alerts_privacy.SECTION])


async def someone(sessions: SessionFactory, clock: ManualClock, who: dict[str, Any]) -> Person:
    """A bot user with a bit of everything: consent, a help request, a message to them, a
    booking and a place on the warning list."""
    people = People(clock)
    async with sessions.begin() as session:
        person = await people.create(session, who["telegram_id"], Language.RU)
        await people.set_disability_kinds(
            session, person, [DisabilityKind.BLIND], text_key="consent.kinds"
        )
        await people.request_handover(session, person)
        notifications.enqueue(
            session, person_id=person.id, key="booking.reminder", now=clock.now(), place="Абая"
        )
        await subscriptions.subscribe(
            session,
            person,
            region="75",
            latitude=43.25,
            longitude=76.95,
            wants_sms=True,
            phone=who["phone"],
            contact_phone=None,
            consent_version="1",
            consent_key="alerts.consent",
            now=clock.now(),
        )
    await BookingService(sessions, clock).request(
        person,
        "social_taxi",
        local(FRIDAY, who["hour"]),
        region="75",
        destination_kind="medical",
        address=who["address"],
        purpose="к кардиологу",
    )
    return person


async def registrant_id(session: AsyncSession, phone: str) -> int:
    found = await session.scalar(select(Registrant.id).where(Registrant.phone_hash == phone))
    assert found is not None
    return found


@pytest.fixture
async def world(sessions: SessionFactory, clock: ManualClock) -> World:
    """Ann, Bob and Carl got one alert by SMS; Ann answered "safe", Carl "I need help"."""
    await BookingService(sessions, clock).seed_providers(PROVIDERS)
    ann = await someone(sessions, clock, ANN)
    bob = await someone(sessions, clock, BOB)
    await add_registrants(sessions, [{"phone": CARL["phone"], "latitude": 43.3, "longitude": 77.0}])
    async with sessions.begin() as session:
        ids = [await registrant_id(session, who["phone"]) for who in (ANN, BOB, CARL)]
        alert = await alert_received(
            session, ids[2], identifier="quake", language="ru", now=clock.now()
        )
        for n, registrant in enumerate(ids):
            if registrant != ids[2]:
                session.add(
                    AlertRecipient(
                        alert_id=alert.id,
                        registrant_id=registrant,
                        language="ru",
                        created_at=clock.now(),
                    )
                )
            session.add(
                Delivery(
                    alert_id=alert.id,
                    registrant_id=registrant,
                    channel="sms",
                    batch=0,
                    state="delivered",
                    provider_message_id=f"smsc-{n}",
                    queued_at=clock.now(),
                )
            )
        await session.flush()
        acks = Acks(clock)
        await acks.answer_by_phone(session, ANN["phone"], "1")
        await acks.answer_by_phone(session, CARL["phone"], "2")  # "I need help"
    return World(ann, bob, alert.id, ids[2])


async def test_the_export_holds_everything_of_the_person_and_nothing_of_another(
    sessions: SessionFactory, clock: ManualClock, world: World
) -> None:
    data = personal_data(clock)
    async with sessions.begin() as session:
        by_id = await data.export(
            session, await data.subject(session, telegram_id=ANN["telegram_id"]), actor="staff:o"
        )
        by_phone = await data.export(
            session, await data.subject(session, phone=ANN["phone"]), actor="staff:o"
        )
    async with sessions() as session:
        entries = await audit.entries(session, action="privacy.exported")

    text = json.dumps(by_id, ensure_ascii=False)
    for value in (str(ANN["telegram_id"]), ANN["phone"], ANN["address"], "к кардиологу", "Абая"):
        assert value in text, value
    for value in (str(BOB["telegram_id"]), BOB["phone"], BOB["address"], CARL["phone"]):
        assert value not in text, value
    assert [person["id"] for person in by_id["people"]] == [world.ann.id]
    assert [c["topic"] for c in by_id["consents"]] == ["disability_kinds", "alerts"]
    assert len(by_id["conversations"]) == 1 and len(by_id["handover_requests"]) == 1
    assert [n["params"] for n in by_id["notifications"]] == [{"place": "Абая"}]
    assert [b["address"] for b in by_id["bookings"]] == [ANN["address"]]
    (registration,) = by_id["registrations"]
    assert (registration["phone"], registration["latitude"]) == (ANN["phone"], 43.25)
    assert "phone_hash" not in registration
    assert [(a["alert_identifier"], a["answer"]) for a in by_id["alerts_received"]] == [
        ("quake", "safe")
    ]
    assert [d["provider_message_id"] for d in by_id["alert_deliveries"]] == ["smsc-0"]
    assert by_id["audit_entries"]  # what was done for them (joined the list, asked for help)
    assert {k: v for k, v in by_phone.items() if k not in ("request", "audit_entries")} == {
        k: v for k, v in by_id.items() if k not in ("request", "audit_entries")
    }
    assert [(e.actor, e.subject, e.details["by"]) for e in entries] == [
        ("staff:o", f"person:{world.ann.id}", "telegram_id"),
        ("staff:o", f"person:{world.ann.id}", "phone"),
    ]
    assert entries[0].details["bookings"] == 1
    for value in (str(ANN["telegram_id"]), ANN["phone"].removeprefix("+")):
        assert value not in str([e.details for e in entries])


async def test_a_list_only_registrant_is_found_by_phone(
    sessions: SessionFactory, clock: ManualClock, world: World
) -> None:
    data = personal_data(clock)
    async with sessions.begin() as session:
        subject = await data.subject(session, phone=CARL["phone"])
        document = await data.export(session, subject, actor="staff:o")

    assert document["people"] == []
    assert [r["id"] for r in document["registrations"]] == [world.carl_id]
    assert [d["provider_message_id"] for d in document["alert_deliveries"]] == ["smsc-2"]
    (request,) = document["alert_help_requests"]
    assert (request["kind"], request["latitude"], request["longitude"]) == ("emergency", 43.3, 77.0)


async def count(sessions: SessionFactory, model: Any, *where: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_deleting_removes_everything_keeps_the_alert_figures_and_audits_no_data(
    settings: Settings, sessions: SessionFactory, clock: ManualClock, world: World
) -> None:
    data = personal_data(clock)
    ann, bob = world.ann.id, world.bob.id
    async with sessions() as session:
        bob_registrant = await registrant_id(session, BOB["phone"])
    async with alert_system(
        settings, sessions, clock, bot=None, catalogs=Catalogs.load(), voice=None
    ) as system:
        before = await system.service.status(world.alert_id)
        slots_before = await count(sessions, SlotUsage, SlotUsage.used == 1)
        async with sessions.begin() as session:
            subject = await data.subject(session, telegram_id=ANN["telegram_id"])
            erased = await data.erase(session, subject, actor="staff:olga")
        async with sessions.begin() as session:
            carl = await data.subject(session, phone=CARL["phone"])
            await data.erase(session, carl, actor="staff:olga")
        after = await system.service.status(world.alert_id)

    assert erased["people"] == 1 and erased["bookings"] == 1 and erased["registrations"] == 1
    assert "audit_entries" not in erased  # kept: they name nobody
    for model in (Person, Consent, Conversation, HandoverRequest, Booking, Registrant):
        column = model.person_id if hasattr(model, "person_id") else model.id
        assert await count(sessions, model, column == ann) == 0, model
        assert await count(sessions, model, column == bob) >= 1, model
    assert await count(sessions, notifications.Notification) == 1  # Bob's
    assert await count(sessions, Registrant) == 1  # Bob's; Carl's is gone too
    assert await count(sessions, HandoverRequest) == 1  # Bob's; Carl's SMS call for help too
    assert (slots_before, await count(sessions, SlotUsage, SlotUsage.used == 1)) == (2, 1)
    assert after == before  # Carl's delivery and answer stay in the alert's figures
    async with sessions() as session:
        kept = (await session.scalars(select(Delivery).order_by(Delivery.id))).all()
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(d.registrant_id, d.provider_message_id, d.state) for d in kept] == [
        (None, None, "delivered"),
        (bob_registrant, "smsc-1", "delivered"),
        (None, None, "delivered"),
    ]
    deleted = [e for e in entries if e.action == "privacy.deleted"]
    assert [(e.actor, e.subject) for e in deleted] == [
        ("staff:olga", f"person:{ann}"),
        ("staff:olga", None),
    ]
    assert {"person.forgotten", "alerts.unsubscribed"} <= {e.action for e in entries}
    logged = str([(e.actor, e.subject, e.details) for e in entries])
    for secret in ("1001", "7011110001", "7013330003", "Абая", "кардиолог"):
        assert secret not in logged, secret


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]

    async def prepare() -> None:
        engine = create_engine(settings)
        await upgrade(engine)
        sessions = session_factory(engine)
        await BookingService(sessions, ManualClock()).seed_providers(PROVIDERS)
        await someone(sessions, ManualClock(), ANN)
        await engine.dispose()

    asyncio.run(prepare())
    return {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING"}


def test_the_commands_export_and_delete_on_request(cli_env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "ann.json"

    exported = runner.invoke(
        app, ["privacy", "export", "--telegram-id", "1001", "--out", str(out)], env=cli_env
    )
    alias = runner.invoke(app, ["export-my-data", "--phone", "8 701 111 00 01"], env=cli_env)
    neither = runner.invoke(app, ["privacy", "export"], env=cli_env)
    bad_phone = runner.invoke(app, ["privacy", "export", "--phone", "12"], env=cli_env)
    declined = runner.invoke(
        app, ["privacy", "delete", "--telegram-id", "1001"], input="n\n", env=cli_env
    )
    deleted = runner.invoke(
        app, ["privacy", "delete", "--telegram-id", "1001", "--yes"], env=cli_env
    )
    nothing = runner.invoke(app, ["privacy", "delete", "--telegram-id", "1001"], env=cli_env)

    assert exported.exit_code == 0, exported.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["registrations"][0]["phone"] == ANN["phone"]
    assert document["bookings"][0]["address"] == ANN["address"]
    assert alias.exit_code == 0, alias.output
    assert json.loads(alias.output)["people"] == document["people"]
    assert neither.exit_code == 1 and "--telegram-id or with --phone" in neither.output
    assert bad_phone.exit_code == 1 and "--phone" in bad_phone.output
    assert declined.exit_code == 1 and "Nothing was deleted." in declined.output
    assert "bookings" in declined.output  # what is stored is shown before the question
    assert deleted.exit_code == 0, deleted.output
    assert "records deleted or made anonymous" in deleted.output
    assert nothing.exit_code == 0 and "Nothing is stored about this person." in nothing.output


async def test_the_help_thread_is_exported_with_the_person_and_deleted_with_them(
    sessions: SessionFactory, clock: ManualClock, world: World
) -> None:
    """What a person said to the dispatcher, and was told, is theirs to see (issue 21)."""
    people = People(clock)
    async with sessions.begin() as session:
        ann = await session.get(Person, world.ann.id)
        bob = await session.get(Person, world.bob.id)
        assert ann is not None and bob is not None
        fire = await people.record_emergency(session, ann, "fire", words="Пожар, я на шестом")
        help_thread.add(
            session, fire, sender=help_thread.STAFF, channel="telegram",
            text="Идём к вам, будьте у окна", at=clock.now(), actor="staff:dana",
        )  # fmt: skip
        await people.record_emergency(session, bob, "smoke", words="Дым в подъезде")
        carl = await session.scalar(
            select(HandoverRequest).where(HandoverRequest.registrant_id == world.carl_id)
        )
        assert carl is not None
        help_thread.add(
            session, carl, sender=help_thread.PERSON, channel="sms",
            text="Не могу выйти", at=clock.now(), actor="sms",
        )  # fmt: skip
    data = personal_data(clock)
    async with sessions.begin() as session:
        by_ann = await data.export(
            session, await data.subject(session, telegram_id=ANN["telegram_id"]), actor="staff:o"
        )
        by_carl = await data.export(
            session, await data.subject(session, phone=CARL["phone"]), actor="staff:o"
        )
    said = [(m["sender"], m["text"]) for m in by_ann["help_messages"]]
    assert said == [("person", "Пожар, я на шестом"), ("staff", "Идём к вам, будьте у окна")]
    assert "Дым в подъезде" not in json.dumps(by_ann, ensure_ascii=False)
    assert [m["text"] for m in by_carl["alert_help_messages"]] == ["Не могу выйти"]
    assert "Пожар" not in json.dumps(by_carl, ensure_ascii=False)

    async with sessions.begin() as session:
        subject = await data.subject(session, telegram_id=ANN["telegram_id"])
        counts = await data.erase(session, subject, actor="staff:o")
    assert counts["help_messages"] == 2
    assert await count(sessions, HelpMessage) == 2  # Bob's words and Carl's stay
