"""A blind person whose Telegram refuses voice notes gets the alert as text (issue 17, finding 1).

The words arrive with the answer buttons, the ledger says it went as text, and the next alert
goes as text from the start.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from alerts.cap.export import to_xml
from alerts.models import Registrant
from tests.alerts.broadcast import add_registrants, alert
from tests.alerts.test_fanout import Broadcast, broadcast  # noqa: F401 - the fixture


async def _messages(sent: Broadcast, chat: int) -> list[dict[str, Any]]:
    events = (await sent.sandbox.events(chat))["events"]
    return [event["message"] for event in events if event["kind"] == "bot_message"]


async def test_voice_refused_sends_the_text_with_buttons_and_remembers_it(
    broadcast: Broadcast,  # noqa: F811 - the fixture
) -> None:
    refusing, listening = list(await broadcast.sandbox.add_users(2))
    await add_registrants(
        broadcast.sessions,
        [
            {"telegram_chat_id": refusing, "disability_kinds": ["blind"]},
            {"telegram_chat_id": listening, "disability_kinds": ["blind"]},
        ],
    )
    await broadcast.sandbox.set_faults(refusing, voice_forbidden=True)
    first = await broadcast.send(to_xml(alert("quake-voice-refused")))

    (text,) = await _messages(broadcast, refusing)
    assert "voice" not in text
    assert text["text"].startswith("Выйдите из здания сейчас.")
    labels = [row[0]["text"] for row in text["reply_markup"]["inline_keyboard"]]
    assert len(labels) == 2, "the answer buttons come with the text"
    (note,) = await _messages(broadcast, listening)
    assert "voice" in note

    sent_as = {d.registrant_id: (d.state, d.sent_as) for d in await broadcast.deliveries(first)}
    assert sorted(sent_as.values()) == [("sent", "text"), ("sent", "voice")]
    async with broadcast.sessions() as session:
        refused = await session.scalar(
            select(Registrant.voice_refused_at).where(Registrant.telegram_chat_id == refusing)
        )
    assert refused is not None

    # The next alert goes as text at once, even where Telegram would now take a voice note.
    await broadcast.sandbox.set_faults(refusing, voice_forbidden=False)
    second = await broadcast.send(to_xml(alert("quake-voice-refused-2")))
    latest = (await _messages(broadcast, refusing))[-1]
    assert "voice" not in latest and latest["text"].startswith("Выйдите из здания сейчас.")
    assert {d.sent_as for d in await broadcast.deliveries(second)} == {"text", "voice"}
