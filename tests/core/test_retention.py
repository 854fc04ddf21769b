"""Retention: what is past its time is deleted or anonymised, and nothing else; an alert's
figures stay the same; the run is audited with counts only."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from alerts import retention as alerts_retention
from alerts import subscriptions
from alerts.fanout.ledger import counts
from alerts.models import Alert, AlertRecipient, Delivery, Registrant
from cli.alerts_runtime import alert_system
from cli.main import app
from core import audit, retention
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.models import HandoverRequest, HelpMessage, Person, ReviewItem
from core.notifications import MAX_ATTEMPTS, Notification
from core.people import People
from core.profile import Language
from core.settings import Settings
from tests.alerts.broadcast import add_registrants

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICY = retention.Policy()  # 90 days for deliveries and help requests, 30 for the rest
RULES = [*alerts_retention.rules(POLICY), *retention.core_rules(POLICY)]
ERROR = "SMSC refused +77011234567"


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def stored_alert(sessions: SessionFactory, identifier: str, created: datetime) -> int:
    async with sessions.begin() as session:
        alert = Alert(
            identifier=identifier,
            sender="dispatch@komek.test",
            sent=created,
            status="Actual",
            msg_type="Alert",
            severity="Extreme",
            document={},
            cap_xml="<alert/>",
            state="sent",
            created_by="test",
            created_at=created,
        )
        session.add(alert)
        await session.flush()
        return alert.id


async def received(
    sessions: SessionFactory,
    alert_id: int,
    registrant_id: int,
    *,
    state: str,
    answer: str | None = None,
    channel: str = "sms",
) -> None:
    async with sessions.begin() as session:
        at = (await session.get_one(Alert, alert_id)).created_at
        session.add(
            AlertRecipient(
                alert_id=alert_id,
                registrant_id=registrant_id,
                language="ru",
                created_at=at,
                answer=answer,
                answered_at=at if answer else None,
                answered_via="sms" if answer else None,
            )
        )
        session.add(
            Delivery(
                alert_id=alert_id,
                registrant_id=registrant_id,
                channel=channel,
                batch=0,
                state=state,
                attempts=1,
                provider_message_id="smsc-1" if state != "queued" else None,
                last_error=ERROR if state == "failed" else None,
                queued_at=at,
                sent_at=None if state == "queued" else at,
            )
        )


async def registrant_ids(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        rows = (await session.execute(select(Registrant.phone, Registrant.id))).all()
    return {row.phone: row.id for row in rows}


async def world(sessions: SessionFactory) -> dict[str, int]:
    """Registrants, two alerts, help requests and messages of various ages; ids by name."""
    await add_registrants(
        sessions,
        [
            {"phone": "+77010000001"},  # on the list
            {"phone": "+77010000002", "active": False, "inactive_since": days_ago(40)},
            {"phone": "+77010000003", "active": False, "inactive_since": days_ago(10)},
            {"phone": "+77010000004", "active": False, "updated_at": days_ago(45)},
        ],
    )
    phones = await registrant_ids(sessions)
    active, gone, leaving, gone_long_ago = (phones[f"+7701000000{n}"] for n in range(1, 5))
    old = await stored_alert(sessions, "old", days_ago(100))
    recent = await stored_alert(sessions, "recent", days_ago(10))
    await received(sessions, old, active, state="delivered", answer="safe")
    await received(sessions, old, gone, state="failed")
    await received(sessions, old, gone_long_ago, state="queued")  # never left: not finished
    await received(sessions, recent, active, state="delivered", answer="help")
    await received(sessions, recent, gone, state="sent")
    async with sessions.begin() as session:
        person = Person(telegram_id=77, language="ru", created_at=days_ago(200))
        session.add(person)
        await session.flush()
        place = {
            "latitude": 43.25,
            "longitude": 76.95,
            "note": "3rd floor, flat 12",
            "name": "Aigerim",
        }
        requests = [
            HandoverRequest(
                person_id=person.id,
                language="ru",
                kind="emergency",
                danger="fire",
                status="resolved",
                created_at=days_ago(120),
                resolved_at=days_ago(100),
                resolved_by="staff:ivan",
                **place,
            ),
            HandoverRequest(
                person_id=person.id,
                language="ru",
                status="resolved",
                created_at=days_ago(20),
                resolved_at=days_ago(10),
                **place,
            ),
            HandoverRequest(
                registrant_id=active,
                person_id=None,
                language="ru",
                status="open",
                created_at=days_ago(100),
                **place,
            ),
        ]
        session.add_all(requests)
        notes = [
            Notification(
                person_id=person.id,
                key="a",
                params={"when": "x"},
                created_at=days_ago(41),
                sent_at=days_ago(40),
            ),
            Notification(person_id=person.id, key="b", created_at=days_ago(6), sent_at=days_ago(5)),
            Notification(
                person_id=person.id, key="c", created_at=days_ago(40), attempts=MAX_ATTEMPTS
            ),
            Notification(person_id=person.id, key="d", created_at=days_ago(40), attempts=1),
        ]
        session.add_all(notes)
        kept = [  # unclear messages kept to teach the bot: labelled or not, 90 days
            ReviewItem(
                person_id=person.id,
                language="ru",
                text=f"вопрос {age}",
                reason="unsure",
                predicted="greet",
                confidence=0.3,
                created_at=days_ago(age),
                label="greet" if age > 90 else None,
            )
            for age in (91, 95, 89)
        ]
        session.add_all(kept)
        await session.flush()
        session.add_all(  # the person's own words: gone with the old request's place
            HelpMessage(
                request_id=request.id,
                at=days_ago(100),
                sender="person",
                channel="text",
                text="пожар на пятом, я на шестом",
            )
            for request in requests
        )
        await session.flush()
        ids = {"person": person.id, "old_request": requests[0].id}
    return ids | {
        "active": active,
        "gone": gone,
        "leaving": leaving,
        "gone_long_ago": gone_long_ago,
        "old": old,
        "recent": recent,
    }


async def test_a_dry_run_counts_and_a_run_deletes_and_anonymises_exactly_that(
    settings: Settings, sessions: SessionFactory
) -> None:
    ids = await world(sessions)
    async with alert_system(
        settings, sessions, ManualClock(NOW), bot=None, catalogs=Catalogs.load(), voice=None
    ) as system:
        before = [await system.service.status(ids[name]) for name in ("old", "recent")]
        dry = await retention.run(sessions, RULES, now=NOW, actor="staff:cli", dry_run=True)
        unchanged = await registrant_ids(sessions)
        done = await retention.run(sessions, RULES, now=NOW, actor="staff:cli")
        after = [await system.service.status(ids[name]) for name in ("old", "recent")]
        again = await retention.run(sessions, RULES, now=NOW, actor="staff:cli")

    expected = {
        "registrants_deleted": 2,  # gone 40 days ago; gone 45 days ago (by its last change)
        "deliveries_anonymised": 1,  # the old alert's still naming somebody on the list
        "recipients_anonymised": 1,  # the same (the deleted registrants' went with them)
        "handovers_anonymised": 1,  # resolved 100 days ago
        "help_messages_deleted": 1,  # the words of that one
        "notifications_deleted": 2,  # sent 40 days ago; given up on 40 days ago
        "review_messages_deleted": 2,  # kept 91 and 95 days ago
    }
    assert dry == expected
    assert len(unchanged) == 4  # the dry run changed nothing
    assert done == expected
    assert again == dict.fromkeys(expected, 0)
    assert after[1] == before[1]  # recipients, deliveries by channel and state, answers
    never_sent = {"sms": {"delivered": 1, "failed": 1, "expired": 1}}
    assert before[0].deliveries == {"sms": {"delivered": 1, "failed": 1, "queued": 1}}
    assert after[0] == dataclasses.replace(before[0], deliveries=never_sent)
    assert sorted(await registrant_ids(sessions)) == ["+77010000001", "+77010000003"]
    async with sessions() as session:
        deliveries = (await session.scalars(select(Delivery).order_by(Delivery.id))).all()
        recipients = (await session.scalars(select(AlertRecipient))).all()
        requests = {r.id: r for r in (await session.scalars(select(HandoverRequest))).all()}
        notifications = sorted((await session.scalars(select(Notification.key))).all())
        review_texts = (await session.scalars(select(ReviewItem.text))).all()
        words = (await session.scalars(select(HelpMessage.request_id))).all()
        entries = await audit.entries(session, action="retention.run")
    old = [d for d in deliveries if d.alert_id == ids["old"]]
    assert [(d.registrant_id, d.provider_message_id, d.last_error) for d in old] == [
        (None, None, None)
    ] * 3
    recent = [
        (d.registrant_id, d.provider_message_id) for d in deliveries if d.alert_id == ids["recent"]
    ]
    assert recent == [(ids["active"], "smsc-1"), (None, None)]  # the deleted one's: detached
    assert sorted((r.alert_id, r.registrant_id or 0, r.answer or "") for r in recipients) == [
        (ids["old"], 0, ""),
        (ids["old"], 0, ""),
        (ids["old"], 0, "safe"),
        (ids["recent"], 0, ""),
        (ids["recent"], ids["active"], "help"),
    ]
    anonymised = requests[ids["old_request"]]
    assert (anonymised.person_id, anonymised.latitude, anonymised.note, anonymised.name) == (
        None,
        None,
        None,
        None,
    )
    assert (anonymised.kind, anonymised.danger, anonymised.resolved_by) == (
        "emergency",
        "fire",
        "staff:ivan",
    )
    kept = [r for r in requests.values() if r.id != ids["old_request"]]
    assert all(r.note == "3rd floor, flat 12" and r.latitude == 43.25 for r in kept)
    assert all(r.name == "Aigerim" for r in kept)
    assert sorted(words) == sorted(r.id for r in kept)
    assert notifications == ["b", "d"]
    assert review_texts == ["вопрос 89"]
    assert [(entry.actor, entry.details) for entry in entries] == [
        ("staff:cli", expected),  # the dry run is not in the audit log
        ("staff:cli", again),
    ]


def test_the_command_prints_the_counts_and_a_dry_run_changes_nothing(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]

    async def prepare() -> None:
        engine = create_engine(settings)
        await upgrade(engine)
        sessions = session_factory(engine)
        await add_registrants(
            sessions,
            [
                {
                    "phone": "+77010000002",
                    "active": False,
                    "inactive_since": datetime(2020, 1, 1, tzinfo=UTC),
                }
            ],
        )
        await engine.dispose()

    async def left() -> tuple[int, int]:
        engine = create_engine(settings)
        async with session_factory(engine)() as session:
            registrants = len((await session.scalars(select(Registrant.id))).all())
            runs = len(await audit.entries(session, action="retention.run"))
        await engine.dispose()
        return registrants, runs

    asyncio.run(prepare())
    env = {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING"}
    runner = CliRunner()
    dry = runner.invoke(app, ["retention", "run", "--dry-run"], env=env)
    after_dry = asyncio.run(left())
    real = runner.invoke(app, ["retention", "run", "--as", "olga"], env=env | {"COLUMNS": "200"})
    after_real = asyncio.run(left())

    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing changed" in dry.output
    assert after_dry == (1, 0)
    assert real.exit_code == 0, real.output
    found = re.search(
        r"Registrants deleted \(no longer on the list for over 30 days\)\s+│\s+(\d+)", real.output
    )
    assert found is not None and found.group(1) == "1", real.output
    assert after_real == (0, 1)


async def test_leaving_the_list_in_the_bot_keeps_the_figures_of_past_alerts(
    sessions: SessionFactory, clock: ManualClock
) -> None:
    async with sessions.begin() as session:
        person = await People(clock).create(session, 55, Language.RU)
        registrant = await subscriptions.subscribe(
            session,
            person,
            region="75",
            latitude=None,
            longitude=None,
            wants_sms=True,
            phone="+77010000009",
            contact_phone=None,
            consent_version="1",
            consent_key="alerts.consent",
            now=clock.now(),
        )
        registrant_id = registrant.id
    alert_id = await stored_alert(sessions, "left", clock.now())
    await received(sessions, alert_id, registrant_id, state="delivered", answer="safe")
    async with sessions.begin() as session:
        left = await subscriptions.unsubscribe(session, person, now=clock.now())
        figures = await counts(session, alert_id)
        answers = (
            await session.execute(select(AlertRecipient.registrant_id, AlertRecipient.answer))
        ).all()

    assert left
    assert figures == {"sms": {"delivered": 1}}
    assert [tuple(row) for row in answers] == [(None, "safe")]
