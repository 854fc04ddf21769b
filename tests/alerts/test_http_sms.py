"""The HTTP SMS channel against a small gateway that answers like Kannel's sendsms.

The stand-in takes GET /cgi-bin/sendsms as Kannel documents it and, like Kannel, calls the
message's dlr-url with %d (the report type) and %A (the SMSC's answer) filled in. The dlr-url
points back at the same test server, whose handler is our `report_delivery()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from aiohttp import web

from alerts.channels.base import Outgoing, Rejected, RetryLater
from alerts.channels.http_sms import (
    HttpSmsChannel,
    HttpSmsConfig,
    read_delivery_report,
    report_delivery,
)
from tests.alerts.recording import RecordingEvents
from tests.servers.ports import free_port

PHONE = "+77011234567"
TEXT = (
    "Ғимараттан қазір шығыңыз. Алматыда жер сілкінісі болды. Ашық жерге барыңыз. "
    "Қауіпсіз болсаңыз 1, көмек керек болса 2 деп жауап беріңіз."
)
KEY = "dlr-signing-key"


@dataclass
class Kannel:
    """What the stand-in gateway received and how it answers next."""

    base_url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)
    """(status, body) for the next requests; afterwards 202 "0: Accepted for delivery"."""
    report: tuple[int, str] | None = (1, "id:9f sub:001 dlvrd:001 stat:DELIVRD err:000 text:")
    delay: float = 0.0
    rejected_reports: int = 0
    events: RecordingEvents = field(default_factory=RecordingEvents)
    """Where our delivery-report handler reports."""


@pytest.fixture
async def kannel() -> AsyncIterator[Kannel]:
    state = Kannel()
    pending: set[asyncio.Task[None]] = set()

    async def call_dlr_url(url: str, report: tuple[int, str]) -> None:
        filled = url.replace("%d", str(report[0])).replace("%A", quote(report[1]))
        async with aiohttp.ClientSession() as session, session.get(filled) as response:
            await response.read()

    async def sendsms(request: web.Request) -> web.Response:
        query = dict(request.query)
        if state.delay:
            await asyncio.sleep(state.delay)
        if (query.get("username"), query.get("password")) != ("komek", "secret"):
            return web.Response(status=403, text="Authorization failed for sendsms")
        state.requests.append(query)
        if state.answers:
            status, body = state.answers.pop(0)
            return web.Response(status=status, text=body)
        if "dlr-url" in query and state.report is not None:
            task = asyncio.create_task(call_dlr_url(query["dlr-url"], state.report))
            pending.add(task)
            task.add_done_callback(pending.discard)
        return web.Response(status=202, text="0: Accepted for delivery")

    async def delivery_report(request: web.Request) -> web.Response:
        try:
            await report_delivery(request.query, state.events, key=KEY)
        except ValueError:
            state.rejected_reports += 1
            return web.Response(status=403)
        return web.Response(text="OK")

    app = web.Application()
    app.add_routes(
        [web.get("/cgi-bin/sendsms", sendsms), web.get("/komek/sms/dlr", delivery_report)]
    )
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    state.base_url = f"http://127.0.0.1:{port}"
    try:
        yield state
    finally:
        await asyncio.gather(*pending, return_exceptions=True)
        await runner.cleanup()


def channel_for(kannel: Kannel, **overrides: Any) -> HttpSmsChannel:
    values: dict[str, Any] = {
        "url": f"{kannel.base_url}/cgi-bin/sendsms",
        "username": "komek",
        "password": "secret",
        "dlr_url": f"{kannel.base_url}/komek/sms/dlr",
        "dlr_key": KEY,
        "timeout": 2.0,
        "retry_seconds": 3.0,
    }
    values.update(overrides)
    return HttpSmsChannel(HttpSmsConfig(**values))


def sms(text: str = TEXT, phone: str | None = PHONE) -> Outgoing:
    return Outgoing(
        key="1:1:sms:0", delivery_id=1, alert_id=1, language="kk", text=text, phone=phone
    )


async def test_a_message_goes_out_as_ucs2_and_its_delivery_report_comes_back(
    kannel: Kannel,
) -> None:
    channel = channel_for(kannel)
    try:
        sent = await channel.send(sms())
    finally:
        await channel.close()

    (request,) = kannel.requests
    assert request["to"] == PHONE
    assert request["text"] == TEXT
    assert request["from"] == "Komek"
    assert (request["coding"], request["charset"], request["dlr-mask"]) == ("2", "UTF-8", "19")
    events = kannel.events
    await events.wait_for(lambda: bool(events.receipts))
    assert events.receipts == [(sent.provider_message_id, True, None)]


async def test_an_undelivered_report_keeps_only_the_status_words(kannel: Kannel) -> None:
    kannel.report = (2, "id:9f sub:001 dlvrd:000 stat:UNDELIV err:001 text:Ғимараттан қазір")
    channel = channel_for(kannel)
    try:
        sent = await channel.send(sms())
    finally:
        await channel.close()
    events = kannel.events
    await events.wait_for(lambda: bool(events.receipts))
    assert events.receipts == [
        (sent.provider_message_id, False, "not delivered stat:UNDELIV err:001")
    ]


async def test_a_busy_gateway_means_try_again_and_the_retry_goes_through(
    kannel: Kannel,
) -> None:
    kannel.answers = [(503, "Temporal failure, try again later.")]
    channel = channel_for(kannel)
    try:
        with pytest.raises(RetryLater) as busy:
            await channel.send(sms())
        assert busy.value.seconds == 3.0
        sent = await channel.send(sms())
    finally:
        await channel.close()
    assert sent.provider_message_id
    assert len(kannel.requests) == 2


async def test_a_refused_request_is_rejected_for_good(kannel: Kannel) -> None:
    kannel.answers = [(400, "Missing receiver number")]
    channel = channel_for(kannel)
    try:
        with pytest.raises(Rejected, match="400"):
            await channel.send(sms())
        with pytest.raises(Rejected):
            await channel.send(sms(phone=None))
    finally:
        await channel.close()


@pytest.mark.realtime  # aiohttp's client timeout runs on the real clock
async def test_a_slow_or_absent_gateway_means_try_again(kannel: Kannel) -> None:
    kannel.delay = 1.0
    slow = channel_for(kannel, timeout=0.2)
    absent = channel_for(kannel, url=f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms")
    try:
        with pytest.raises(RetryLater, match="unreachable"):
            await slow.send(sms())
        with pytest.raises(RetryLater, match="unreachable"):
            await absent.send(sms())
    finally:
        await slow.close()
        await absent.close()


async def test_forged_and_intermediate_reports_are_not_receipts(kannel: Kannel) -> None:
    channel = channel_for(kannel)
    url = channel.delivery_report_url("abc123")
    await channel.close()
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))

    assert read_delivery_report({**query, "type": "8"}, key=KEY) is None
    delivered = read_delivery_report({**query, "type": "1"}, key=KEY)
    assert delivered is not None and delivered.delivered
    with pytest.raises(ValueError, match="signature"):
        read_delivery_report({**query, "type": "1", "sig": "0" * 32}, key=KEY)
    with pytest.raises(ValueError, match="signature"):
        read_delivery_report({**query, "type": "1"}, key="another key")
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{kannel.base_url}/komek/sms/dlr", params={"id": "abc123", "type": "1"}
        ) as response,
    ):
        assert response.status == 403
    assert kannel.rejected_reports == 1
    assert kannel.events.receipts == []
