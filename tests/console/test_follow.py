"""Following an alert in the console: the page, live figures over SSE, recipients, CSV, roles.

Alerts go out through the real fan-out to the sandbox's Telegram users and pretend phones;
answers come back as a person would give them (an SMS "1" from the phone).
"""

from __future__ import annotations

import re

from sqlalchemy import select

from alerts.acks import Acks
from alerts.cap.export import to_xml
from alerts.models import Answer, Registrant
from core import audit
from core.database import create_engine, session_factory
from tests.alerts.broadcast import add_registrants, alert
from tests.console.event_stream import open_stream
from tests.console.following import PHONES, RUSSIAN, answer, cells, receive, send, staff
from tests.console.harness import ConsoleHarness
from tests.waiting import until


async def test_the_alert_page_shows_the_alert_who_sent_it_and_the_counts(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chats = await console.sandbox.add_users(3)
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": chat} for chat in chats] + [{"phone": PHONES[0]}],
    )
    alert_id = await send(console)

    response = await client.get(f"/alerts/{alert_id}")
    assert response.status == 200
    html = await response.text()
    assert f"<h1>Alert {alert_id}: Strong earthquake in Almaty</h1>" in html
    assert '<span lang="kk">Алматыда күшті жер сілкінісі</span>' in html
    assert '<span lang="ru">Сильное землетрясение в Алматы</span>' in html
    assert "Strong earthquake in Almaty" in html
    assert "Actual: a real warning" in html
    assert "Alert: a new warning" in html
    assert '<span translate="no">staff:dana</span>' in html
    assert '<span translate="no">staff:erlan</span>' in html
    figures = cells(html)
    assert figures["telegram.sent"] == 3
    assert figures["sms.sent"] + figures["sms.delivered"] == 1
    assert figures["total"] == 4
    assert figures["answer.waiting"] == 4 and figures["answer.safe"] == 0
    assert figures["recipients"] == 4
    assert f'href="/api/alerts/{alert_id}.cap"' in html
    assert f'href="/alerts/new?update={alert_id}"' in html
    assert f'href="/alerts/new?cancel={alert_id}"' in html
    assert f'href="/alerts/{alert_id}/review"' not in html
    assert f'data-progress-events="/alerts/{alert_id}/events"' in html
    assert f'<a href="/alerts/{alert_id}">Refresh</a>' in html

    russian = await (await client.get(f"/alerts/{alert_id}", headers=RUSSIAN)).text()
    assert f"<h1>Оповещение {alert_id}: Сильное землетрясение в Алматы</h1>" in russian
    assert "Настоящее: реальное оповещение" in russian and "Новое оповещение" in russian
    assert "Отправлено 4 из 4 сообщений." in russian
    assert "Людей: 4." in russian


async def test_an_alert_awaiting_approval_links_to_its_review_not_to_update(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    alert_id = await receive(console)
    html = await (await client.get(f"/alerts/{alert_id}")).text()
    assert "Waiting for approval" in html
    assert f'href="/alerts/{alert_id}/review"' in html
    assert "Update this alert" not in html and "Cancel this alert" not in html
    assert "Not approved" in html
    assert (await client.get("/alerts/999")).status == 404


async def test_every_alert_page_refuses_a_number_outside_the_stored_range_alike(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    approver = await console.client("erlan")
    for number in (0, 2**31):  # ids are 1 to 2**31 - 1, a 32-bit column
        for path in ("", "/recipients", "/recipients.csv", "/events"):
            assert (await client.get(f"/alerts/{number}{path}")).status == 422, path
        assert (await approver.get(f"/alerts/{number}/review")).status == 422
        assert (await client.get(f"/api/alerts/{number}")).status == 422


async def test_a_cancelled_alert_links_to_its_cancel_and_offers_no_more_follow_ups(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chats = await console.sandbox.add_users(2)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chat} for chat in chats])
    original = await send(console, "quake-1")
    cancel = await console.system.service.receive(
        to_xml(alert("quake-2", msg_type="Cancel", references=["quake-1"])), actor="staff:dana"
    )
    first = await (await client.get(f"/alerts/{original}")).text()
    assert f'<a href="/alerts/{cancel.id}">Cancel: alert {cancel.id}</a>' in first
    assert "Update this alert" not in first and "Cancel this alert" not in first
    second = await (await client.get(f"/alerts/{cancel.id}")).text()
    assert f'<a href="/alerts/{original}">Alert {original}</a>' in second
    assert "Cancel: withdraws an earlier warning" in second


async def test_the_event_stream_shows_the_counts_change_until_all_are_sent_and_answers(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chats = await console.sandbox.add_users(5)
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": chat} for chat in chats] + [{"phone": PHONES[0]}],
    )
    alert_id = await receive(console)
    stream = await open_stream(client.http, f"/alerts/{alert_id}/events")
    try:
        assert stream.response.headers["Content-Type"].startswith("text/event-stream")
        first = await stream.next()
        assert stream.retry is not None and stream.retry > 0
        assert first.name == "progress"
        assert first.data["state"] == "awaiting_approval"
        assert first.data["total"] == 0
        assert re.fullmatch(r"\d\d:\d\d:\d\d", first.data["as_of_local"])  # Kazakhstan time

        await console.system.service.approve(alert_id, actor="staff:erlan")
        events = await stream.until(
            lambda data: (
                data["cells"]["telegram"]["sent"] == 5 and data["cells"]["sms"]["delivered"] == 1
            )
        )
        last = events[-1].data
        assert last["state"] == "sent"
        assert last["state_totals"]["queued"] == 0 and last["state_totals"]["sending"] == 0
        assert "6 of 6 messages sent" in last["summary"]
        ids = [int(event.event_id or 0) for event in [first, *events]]
        assert ids == sorted(set(ids)), "each event carries new figures"

        await console.sandbox.sms_reply(PHONES[0], "1")  # "I'm safe", by SMS
        answered = await stream.until(lambda data: data["answers"]["safe"] == 1)
        assert answered[-1].data["answers"]["waiting"] == 5
        await answer(console, chats[0], Answer.HELP)
        helped = await stream.until(lambda data: data["answers"]["need_help"] == 1)
        assert "1 safe, 1 need help" in helped[-1].data["summary"]
    finally:
        await stream.close()


async def test_the_figures_come_even_while_the_process_connection_is_busy(
    console: ConsoleHarness,
) -> None:
    """On SQLite the process has one pooled connection, which the fan-out keeps busy."""
    client = await staff(console)
    chats = await console.sandbox.add_users(2)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chat} for chat in chats])
    alert_id = await send(console)
    stream = await open_stream(client.http, f"/alerts/{alert_id}/events")
    other_process = create_engine(console.ctx.settings)
    try:
        await stream.next()
        async with console.ctx.sessions() as busy:
            await busy.execute(select(Registrant.id).limit(1))  # holds the one connection
            async with session_factory(other_process).begin() as session:
                registrant = await session.get(Registrant, 1)
                assert registrant is not None
                await Acks(console.ctx.clock).answer(session, registrant, Answer.SAFE, via="sms")
            await stream.until(lambda data: data["answers"]["safe"] == 1, within=5.0)
    finally:
        await stream.close()
        await other_process.dispose()


async def test_viewers_of_one_alert_share_one_poller_which_stops_when_they_leave(
    console: ConsoleHarness,
) -> None:
    from console.routes.follow import progress_hub

    client = await staff(console)
    other = await console.client("erlan")
    alert_id = await receive(console)
    streams = [
        await open_stream(client.http, f"/alerts/{alert_id}/events"),
        await open_stream(other.http, f"/alerts/{alert_id}/events"),
    ]
    for stream in streams:
        await stream.next()
    hub = progress_hub(console.ctx)
    assert hub.watchers(alert_id) == 2
    for stream in streams:
        await stream.close()

    async def nobody_watches() -> bool:
        return hub.watchers(alert_id) == 0

    await until(nobody_watches)


async def test_only_dispatchers_and_approvers_may_follow_alerts(console: ConsoleHarness) -> None:
    await console.add_staff("farida", "coordinator")
    await console.add_staff("erlan", "approver")
    alert_id = await receive(console)
    coordinator = await console.client("farida")
    approver = await console.client("erlan")
    anonymous = await console.client()
    for path in (
        f"/alerts/{alert_id}",
        f"/alerts/{alert_id}/events",
        f"/alerts/{alert_id}/recipients",
        f"/alerts/{alert_id}/recipients.csv",
    ):
        assert (await coordinator.get(path)).status == 403, path
        assert (await anonymous.get(path)).status == 303, path
    assert (await approver.get(f"/alerts/{alert_id}")).status == 200
    async with console.ctx.sessions() as session:
        assert await audit.entries(session, action="alert.recipients_exported") == []
