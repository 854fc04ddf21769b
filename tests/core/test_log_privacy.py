"""Logs in production never hold a phone, a name, a place or what somebody wrote.

Logging is set up as production sets it up (JSON lines, here at DEBUG so that everything is
written), then real code runs with personal data flowing through it: conversations in the
bot (a phone number typed, a location shared, a fire reported), an import of the official
list, a broadcast by Telegram and SMS, and failures whose error texts carry personal data.
Every line must be JSON, and none may contain any of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import structlog
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from alerts.cap.export import to_xml
from alerts.models import Registrant
from alerts.registry.importer import import_registry
from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import Turn, TurnKind
from core.database import SessionFactory
from core.log_privacy import scrub_text
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert, telegram_alert_system
from tests.deploy.logs import json_logs, read_lines

USER = 777_001
NAME = "Айгерим Бекова"
PHONE_TYPED = "8 701 234 56 78"
PHONE_E164 = "+77012345678"
CONTACT = "+7 705 111 22 33"
LATITUDE, LONGITUDE = 43.2567, 76.9286
SECRET_TEXT = "Мой сосед Ерлан живёт на улице Абая 10"
TOKEN = "123456:privacy-test"

FORBIDDEN = (
    "Айгерим",
    "Бекова",
    "Ерлан",
    "Абая",
    "сосед",
    "7012345678",
    "701 234 56 78",
    "7051112233",
    "705 111 22 33",
    "43.2567",
    "76.9286",
    "7017770011",
    "Жанар",
    "Сатпаева",
)


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    with json_logs("DEBUG"):
        yield capsys


def assert_private(output: str) -> None:
    for personal in FORBIDDEN:
        assert personal not in output, f"{personal!r} was logged"


async def say(dialogue: Dialogue, text: str) -> str:
    reply = await dialogue.handle(Turn(user_id=USER, text=text, client_language="en"))
    return "\n".join(reply.parts)


async def test_conversations_in_the_bot(
    dialogue: Dialogue, logs: pytest.CaptureFixture[str]
) -> None:
    for text in ("/start", "3", "text", "done", "skip"):
        await say(dialogue, text)
    assert "Rescue services" in await say(dialogue, "subscribe me to emergency alerts")
    await say(dialogue, "yes")
    shared = Turn(user_id=USER, kind=TurnKind.LOCATION, location=(LATITUDE, LONGITUDE))
    assert "Almaty" in "\n".join((await dialogue.handle(shared)).parts)
    await say(dialogue, "yes")
    await say(dialogue, "2")  # Telegram and SMS
    assert "Step 4 of 4" in await say(dialogue, PHONE_TYPED)
    assert "+7 705 *** ** 33" in await say(dialogue, CONTACT)
    await say(dialogue, f"My name is {NAME}. {SECRET_TEXT}")
    await say(dialogue, "пожар! горит дом")
    await dialogue.handle(shared)

    output, lines = read_lines(logs)
    turns = [line for line in lines if line["event"] == "dialogue.turn"]
    assert len(turns) >= 12 and {"text", "location"} <= {line["kind"] for line in turns}
    assert_private(output)


async def test_importing_the_official_list(
    sessions: SessionFactory, tmp_path: Path, logs: pytest.CaptureFixture[str]
) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text(
        "ФИО;Телефон;Вид инвалидности;Язык;Область;Широта;Долгота;Дата согласия\n"
        f"{NAME};{PHONE_TYPED};глухой;ru;Алматы;43,2567;76,9286;01.03.2025\n"
        "Жанар Сатпаева;8 701 777 00 11;незрячий;kk;Марс;;;01.03.2025\n",
        encoding="cp1251",
    )
    report = await import_registry(
        sessions, listed, actor="admin", now=datetime(2026, 1, 1, tzinfo=UTC), consent_version="1"
    )
    assert (report.imported, report.rejected) == (1, 1)
    output, lines = read_lines(logs)
    assert any(line["event"] == "registry.imported" for line in lines)
    assert_private(output)


async def test_a_broadcast_by_telegram_and_sms(
    settings: Settings, sessions: SessionFactory, logs: pytest.CaptureFixture[str]
) -> None:
    async with SandboxServer("127.0.0.1", 0) as server, SandboxClient(server.base_url) as client:
        chats = list(await client.add_users(1))
        await add_registrants(
            sessions,
            [
                {"telegram_chat_id": chats[0], "phone": PHONE_E164, "wants_sms": True},
                {"telegram_chat_id": 999_999_999, "phone": "+77017770011"},  # unknown chat
            ],
        )
        async with telegram_alert_system(
            settings, sessions, server.base_url, token=TOKEN, sandbox_url=server.base_url
        ) as system:
            stored = await system.service.receive(to_xml(alert("private-1")), actor="d")
            await system.service.approve(stored.id, actor="a")
            await system.fanout.wait_idle()
            status = await system.service.status(stored.id)
    assert status.deliveries["telegram"].get("sent") == 1
    assert sum(status.deliveries["sms"].values()) >= 1
    assert_private(read_lines(logs)[0])


async def test_error_texts_that_carry_personal_data(
    sessions: SessionFactory, logs: pytest.CaptureFixture[str]
) -> None:
    row = {
        "phone": PHONE_E164,
        "language": "ru",
        "region": "75",
        "disability_kinds": ["deaf"],
        "latitude": LATITUDE,
        "longitude": LONGITUDE,
        "consent_source": "list",
        "consent_version": "1",
        "consent_at": datetime(2026, 1, 1, tzinfo=UTC),
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    with pytest.raises(IntegrityError) as raised:
        async with sessions.begin() as session:
            await session.execute(insert(Registrant), [row, row])  # the same phone twice
    assert PHONE_E164 in str(raised.value), "the database error does carry the phone"
    try:
        raise raised.value
    except IntegrityError:
        structlog.get_logger("test").exception("registry.store_failed")
        logging.getLogger("alerts.fanout.sender").exception("alert send failed")
    gateway = f"http://gw:13013/cgi-bin/sendsms?to=%2B77012345678&text={SECRET_TEXT}"
    logging.getLogger("aiohttp.client").error("request to %s failed", gateway)
    structlog.get_logger("test").info(
        "person.seen", name=NAME, note=SECRET_TEXT, place={"lat": LATITUDE, "lon": LONGITUDE}
    )

    output, lines = read_lines(logs)
    assert [line["event"] for line in lines][:2] == ["registry.store_failed", "alert send failed"]
    assert "IntegrityError" in lines[0]["exception"] and "[parameters: [hidden]]" in output
    assert_private(output)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("call +7 701 234 56 78 now", "call [phone] now"),
        ("call 8 (701) 234-56-78", "call [phone]"),
        ("sms to 87012345678 failed", "sms to [phone] failed"),
        ("to +44 20 7946 0958", "to [phone]"),
        ("found at 43.2567, 76.9286", "found at [place]"),
        ("lat=43.25 lon=76.9", "lat=[place] lon=[place]"),
        ("Key (phone)=(+77012345678) already exists", "Key (phone)=([hidden]) already exists"),
        (
            "GET https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
            "GET https://api.telegram.org/[token]/getMe",
        ),
        (
            "alert 12, batch 3, 1 500 deliveries in 2.5 s",
            "alert 12, batch 3, 1 500 deliveries in 2.5 s",
        ),
        ("2026-11-22T09:00:00.123456Z", "2026-11-22T09:00:00.123456Z"),
        # Numbers that are not phones stay: durations, ids, timestamps (issue 17, finding 9).
        (
            "Sleep for 1.000000 seconds and try again... (tryings = 3, bot id = 5123456789)",
            "Sleep for 1.000000 seconds and try again... (tryings = 3, bot id = 5123456789)",
        ),
        ("task 1733558000123 done in 2345678 us", "task 1733558000123 done in 2345678 us"),
        ("retry 12 of batch 4501234 in 300 s", "retry 12 of batch 4501234 in 300 s"),
        ("reply from 77012345678: 1", "reply from [phone]: 1"),
    ],
)
def test_what_is_hidden_in_free_text(text: str, hidden: str) -> None:
    assert scrub_text(text) == hidden
