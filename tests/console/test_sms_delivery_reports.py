"""Delivery reports from the HTTP SMS gateway: Kannel calls the signed dlr-url of each SMS.

The URL is built by the HTTP SMS channel itself, with Kannel's `%d` and `%A` filled in as
Kannel does; the report then shows in the alert's deliveries. Forged reports change nothing.
"""

from __future__ import annotations

from urllib.parse import quote

from pydantic import SecretStr
from sqlalchemy import select

from alerts.channels.http_sms import HttpSmsChannel, HttpSmsConfig
from alerts.models import Delivery, Registrant
from console.routes.sms_delivery import DELIVERY_REPORT_PATH
from core.settings import SmsBackend
from tests.alerts.broadcast import add_registrants
from tests.console.cap_documents import current
from tests.console.harness import ConsoleHarness

KEY = "gateway-password"
PHONES = ("+77011234567", "+77017654321")


def kannel_call(base_url: str, message_id: str, report: int, answer: str, key: str = KEY) -> str:
    """The URL Kannel calls: the channel's dlr-url with the report type and answer filled in."""
    channel = HttpSmsChannel(
        HttpSmsConfig(
            url="http://gateway.invalid/", dlr_url=base_url + DELIVERY_REPORT_PATH, dlr_key=key
        )
    )
    url = channel.delivery_report_url(message_id)
    return url.replace("%d", str(report)).replace("%A", quote(answer))


async def sms_deliveries(console: ConsoleHarness) -> dict[str, Delivery]:
    async with console.ctx.sessions() as session:
        rows = await session.execute(
            select(Registrant.phone, Delivery)
            .join(Delivery, Delivery.registrant_id == Registrant.id)
            .where(Delivery.channel == "sms")
        )
        return {str(phone): delivery for phone, delivery in rows}


async def test_signed_reports_mark_sms_delivered_or_failed(console: ConsoleHarness) -> None:
    console.ctx.settings = console.ctx.settings.model_copy(
        update={
            "sms_backend": SmsBackend.HTTP,
            "sms_http_url": "http://gateway.invalid/cgi-bin/sendsms",
            "sms_http_password": SecretStr(KEY),
        }
    )
    await console.sandbox.set_sms(receipt_delay_ms=600_000)  # only Kannel reports here
    await add_registrants(console.ctx.sessions, [{"phone": phone} for phone in PHONES])
    service = console.system.service
    stored = await service.receive(current("sms-dlr"), actor="test")
    await service.approve(stored.id, actor="test-approver")
    await console.system.fanout.wait_idle()
    sent = await sms_deliveries(console)
    assert {d.state for d in sent.values()} == {"sent"}
    first, second = (str(sent[phone].provider_message_id) for phone in PHONES)
    http = (await console.client()).http

    forged = kannel_call(console.base_url, first, 1, "stat:DELIVRD", key="guessed")
    unsigned = forged.split("&sig=")[0] + "&type=1"
    for url, status in ((forged, 403), (unsigned, 403), (DELIVERY_REPORT_PATH, 400)):
        async with http.get(url) as response:
            assert response.status == status, url
            assert response.content_type == "text/plain"
    assert {d.state for d in (await sms_deliveries(console)).values()} == {"sent"}

    delivered = kannel_call(
        console.base_url, first, 1, "id:9f sub:001 dlvrd:001 stat:DELIVRD err:000 text:Ғимарат"
    )
    failed = kannel_call(
        console.base_url, second, 2, "id:a0 sub:001 dlvrd:000 stat:UNDELIV err:001 text:Ғимарат"
    )
    for url in (delivered, failed):
        async with http.get(url) as response:
            assert response.status == 200
            assert await response.text() == "OK"
    reported = await sms_deliveries(console)
    assert reported[PHONES[0]].state == "delivered"
    assert reported[PHONES[1]].state == "failed"
    assert reported[PHONES[1]].last_error == "not delivered stat:UNDELIV err:001"

    status = await service.status(stored.id)
    assert status.deliveries == {"sms": {"delivered": 1, "failed": 1}}


async def test_without_the_http_gateway_no_reports_are_taken(console: ConsoleHarness) -> None:
    http = (await console.client()).http
    url = kannel_call(console.base_url, "abc123", 1, "stat:DELIVRD", key="")
    async with http.get(url) as response:
        assert response.status == 404
