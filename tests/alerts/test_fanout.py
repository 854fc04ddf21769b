"""Broadcasts end to end: the real fan-out, the real aiogram Bot, the sandbox Bot API.

Deaf people get the alert as text with "I'm safe" / "I need help" buttons, blind people as a
voice note with the text; Telegram's 429, 5xx and 403 are each handled as Telegram means
them; every person gets one message per channel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from alerts.cap.export import to_xml
from alerts.fanout.retries import MAX_ATTEMPTS
from alerts.models import Delivery, Registrant
from cli.alerts_runtime import AlertSystem
from core.database import SessionFactory
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert, circle, telegram_alert_system
from voice.service import Voice

TOKEN = "123456:alerts-test"


@dataclass
class Broadcast:
    system: AlertSystem
    sandbox: SandboxClient
    sessions: SessionFactory

    async def send(self, document: bytes, *, exercise: bool = False) -> int:
        service = self.system.service
        stored = await service.receive(document, actor="dispatcher-1", exercise=exercise)
        await service.approve(stored.id, actor="approver-2")
        await self.system.fanout.wait_idle()
        return stored.id

    async def deliveries(self, alert_id: int) -> list[Delivery]:
        async with self.sessions() as session:
            return list(
                (
                    await session.scalars(
                        select(Delivery)
                        .where(Delivery.alert_id == alert_id)
                        .order_by(Delivery.registrant_id, Delivery.channel)
                    )
                ).all()
            )


@pytest.fixture
async def broadcast(
    settings: Settings, sessions: SessionFactory, voice: Voice
) -> AsyncIterator[Broadcast]:
    settings = settings.model_copy(update={"telegram_alert_rate": 1000.0})
    async with (
        SandboxServer("127.0.0.1", 0) as server,
        SandboxClient(server.base_url) as client,
        telegram_alert_system(
            settings, sessions, server.base_url, token=TOKEN, voice=voice
        ) as system,
    ):
        yield Broadcast(system, client, sessions)


async def test_deaf_get_text_with_answer_buttons_blind_get_a_voice_note(
    broadcast: Broadcast,
) -> None:
    chats = list(await broadcast.sandbox.add_users(4))
    await add_registrants(
        broadcast.sessions,
        [
            {"telegram_chat_id": chats[0], "language": "kk", "disability_kinds": ["deaf"]},
            {"telegram_chat_id": chats[1], "language": "ru", "disability_kinds": ["blind"]},
            {"telegram_chat_id": chats[2], "language": "en", "disability_kinds": ["deafblind"]},
            {"telegram_chat_id": chats[3], "language": "ru", "region": "71"},  # elsewhere
        ],
    )
    alert_id = await broadcast.send(to_xml(alert("quake-1")))

    deaf = await broadcast.sandbox.events(chats[0])
    messages = [event["message"] for event in deaf["events"] if event["kind"] == "bot_message"]
    assert len(messages) == 1
    assert messages[0]["text"].startswith("Ғимараттан қазір шығыңыз.")  # the action first
    labels = [row[0]["text"] for row in messages[0]["reply_markup"]["inline_keyboard"]]
    assert labels == ["Мен аманмын", "Маған көмек керек"]

    blind = await broadcast.sandbox.events(chats[1])
    notes = [event["message"] for event in blind["events"] if event["kind"] == "bot_message"]
    assert len(notes) == 1 and "voice" in notes[0]
    assert notes[0]["caption"].startswith("Выйдите из здания сейчас.")

    deafblind = await broadcast.sandbox.events(chats[2])
    texts = [event["message"] for event in deafblind["events"] if event["kind"] == "bot_message"]
    assert len(texts) == 1 and texts[0]["text"].startswith("Leave the building now.")

    assert (await broadcast.sandbox.events(chats[3]))["events"] == []
    states = {(d.registrant_id, d.channel): d.state for d in await broadcast.deliveries(alert_id)}
    assert sorted(states.values()) == ["sent", "sent", "sent"]


async def test_voice_note_is_synthesised_and_uploaded_once_per_language(
    broadcast: Broadcast,
) -> None:
    chats = list(await broadcast.sandbox.add_users(6))
    await add_registrants(
        broadcast.sessions,
        [{"telegram_chat_id": chat, "disability_kinds": ["blind"]} for chat in chats],
    )
    await broadcast.send(to_xml(alert("quake-voice")))
    file_ids = set()
    for chat in chats:
        events = (await broadcast.sandbox.events(chat))["events"]
        (message,) = [event["message"] for event in events if event["kind"] == "bot_message"]
        file_ids.add(message["voice"]["file_unique_id"])
    assert len(file_ids) == 1  # one upload, then the same file by its id


async def test_retry_after_server_errors_and_blocked_bot(broadcast: Broadcast) -> None:
    chats = list(await broadcast.sandbox.add_users(4))
    await broadcast.sandbox.set_faults(chats[0], retry_after=1, count=1)
    await broadcast.sandbox.set_faults(chats[1], server_errors=2)
    await broadcast.sandbox.set_faults(chats[2], blocked=True)
    await add_registrants(
        broadcast.sessions,
        [
            {"telegram_chat_id": chats[0]},
            {"telegram_chat_id": chats[1]},
            {"telegram_chat_id": chats[2], "phone": "+77011234567"},
            {"telegram_chat_id": chats[3]},
        ],
    )
    alert_id = await broadcast.send(to_xml(alert("quake-faults")))

    counts = await broadcast.sandbox.message_counts()
    assert counts == {chats[0]: 1, chats[1]: 1, chats[3]: 1}
    by_chat = {}
    async with broadcast.sessions() as session:
        registrants = {r.id: r for r in (await session.scalars(select(Registrant))).all()}
    for delivery in await broadcast.deliveries(alert_id):
        by_chat[(registrants[delivery.registrant_id].telegram_chat_id, delivery.channel)] = delivery
    assert by_chat[(chats[0], "telegram")].attempts == 2
    assert by_chat[(chats[0], "telegram")].state == "sent"
    assert by_chat[(chats[1], "telegram")].attempts == 3
    assert by_chat[(chats[1], "telegram")].state == "sent"
    blocked = by_chat[(chats[2], "telegram")]
    assert blocked.state == "failed" and blocked.last_error == "blocked the bot"
    # Telegram cannot reach them: an SMS was queued instead, and Telegram is marked unreachable.
    assert (chats[2], "sms") in by_chat
    blocked_person = next(r for r in registrants.values() if r.telegram_chat_id == chats[2])
    assert blocked_person.telegram_unreachable_at is not None


async def test_an_answer_lost_after_the_message_went_out_marks_the_delivery_in_doubt(
    broadcast: Broadcast,
) -> None:
    """The Bot API delivered the message but its answer never arrived: the retry sends it
    again (a warning twice beats none), and the ledger says the person may have it twice.
    A 429 that sent nothing leaves no doubt."""
    lost, throttled, fine = list(await broadcast.sandbox.add_users(3))
    await broadcast.sandbox.set_faults(lost, lost_answers=1)
    await broadcast.sandbox.set_faults(throttled, retry_after=1, count=1)
    await add_registrants(
        broadcast.sessions,
        [{"telegram_chat_id": lost}, {"telegram_chat_id": throttled}, {"telegram_chat_id": fine}],
    )
    alert_id = await broadcast.send(to_xml(alert("quake-lost-answer")))

    assert await broadcast.sandbox.message_counts() == {lost: 2, throttled: 1, fine: 1}
    async with broadcast.sessions() as session:
        chats = dict(
            (await session.execute(select(Registrant.id, Registrant.telegram_chat_id))).all()
        )
    rows = {chats[row.registrant_id]: row for row in await broadcast.deliveries(alert_id)}
    assert (rows[lost].state, rows[lost].attempts, rows[lost].in_doubt) == ("sent", 2, True)
    assert (rows[throttled].state, rows[throttled].in_doubt) == ("sent", False)
    assert (rows[fine].state, rows[fine].in_doubt) == ("sent", False)


async def test_exercise_goes_to_the_test_group_only(broadcast: Broadcast) -> None:
    chats = list(await broadcast.sandbox.add_users(2))
    await add_registrants(
        broadcast.sessions,
        [
            {"telegram_chat_id": chats[0], "test_group": True, "language": "en"},
            {"telegram_chat_id": chats[1]},
        ],
    )
    await broadcast.send(to_xml(alert("drill-1")), exercise=True)
    assert await broadcast.sandbox.message_counts() == {chats[0]: 1}
    events = (await broadcast.sandbox.events(chats[0]))["events"]
    assert events[0]["message"]["text"].startswith("This is a drill.")


async def test_update_reaches_the_original_recipients_and_the_enlarged_area(
    broadcast: Broadcast,
) -> None:
    chats = list(await broadcast.sandbox.add_users(3))
    await add_registrants(
        broadcast.sessions,
        [
            # inside a 5 km circle around the centre of Almaty
            {"telegram_chat_id": chats[0], "latitude": 43.24, "longitude": 76.90},
            # 15 km away: outside the first circle, inside the second
            {"telegram_chat_id": chats[1], "latitude": 43.36, "longitude": 76.95},
            # far away, never reached
            {"telegram_chat_id": chats[2], "latitude": 51.13, "longitude": 71.43, "region": "71"},
        ],
    )
    await broadcast.send(to_xml(alert("flood-1", areas=[circle(43.238, 76.889, 5)])))
    assert await broadcast.sandbox.message_counts() == {chats[0]: 1}
    update = alert(
        "flood-2", msg_type="Update", references=["flood-1"], areas=[circle(43.3, 76.9, 20)]
    )
    await broadcast.send(to_xml(update))
    assert await broadcast.sandbox.message_counts() == {chats[0]: 2, chats[1]: 1}
    cancel = alert("flood-3", msg_type="Cancel", references=["flood-2"])
    await broadcast.send(to_xml(cancel))
    assert await broadcast.sandbox.message_counts() == {chats[0]: 3, chats[1]: 2}
    last = (await broadcast.sandbox.events(chats[1]))["events"][-1]["message"]
    assert "reply_markup" not in last  # nothing to answer in an all-clear


async def test_an_expired_alert_is_not_sent(broadcast: Broadcast) -> None:
    chats = list(await broadcast.sandbox.add_users(2))
    await add_registrants(broadcast.sessions, [{"telegram_chat_id": chat} for chat in chats])
    stale = alert("quake-old")
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    stale = dataclasses.replace(
        stale, infos=tuple(dataclasses.replace(info, expires=past) for info in stale.infos)
    )
    alert_id = await broadcast.send(to_xml(stale))
    assert await broadcast.sandbox.message_counts() == {}
    assert {d.state for d in await broadcast.deliveries(alert_id)} == {"expired"}


async def test_being_told_to_slow_down_is_never_a_reason_to_give_up(broadcast: Broadcast) -> None:
    (chat,) = list(await broadcast.sandbox.add_users(1))
    await broadcast.sandbox.set_faults(chat, retry_after=1, count=MAX_ATTEMPTS + 1)
    await add_registrants(broadcast.sessions, [{"telegram_chat_id": chat}])
    alert_id = await broadcast.send(to_xml(alert("quake-busy")))
    (delivery,) = await broadcast.deliveries(alert_id)
    assert (delivery.state, delivery.attempts) == ("sent", MAX_ATTEMPTS + 2)
    assert await broadcast.sandbox.message_counts() == {chat: 1}
