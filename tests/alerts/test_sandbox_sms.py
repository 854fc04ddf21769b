"""The sandbox SMS channel: Kömek's SMS reach the sandbox's pretend phones, replies come back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from alerts.channels.base import Outgoing, Rejected, RetryLater
from alerts.channels.sandbox_sms import RETRY_SECONDS, SandboxSmsChannel
from core.clock import ManualClock
from sandbox import SandboxClient, SandboxServer
from sandbox.client import SandboxError
from tests.alerts.recording import RecordingEvents
from tests.waiting import until

PHONE = "+77011234567"
TEXT = "Үйден шығыңыз. Өрт. Жауап: 1 қауіпсіз, 2 көмек."


def sms(phone: str | None = PHONE, text: str = TEXT) -> Outgoing:
    return Outgoing(
        key="1:1:sms:0", delivery_id=1, alert_id=1, language="kk", text=text, phone=phone
    )


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as running:
        yield running


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.base_url) as control:
        await control.set_sms(receipt_delay_ms=0)
        yield control


@pytest.fixture
def events() -> RecordingEvents:
    return RecordingEvents()


@pytest.fixture
async def channel(
    server: SandboxServer, events: RecordingEvents
) -> AsyncIterator[SandboxSmsChannel]:
    instance = SandboxSmsChannel(server.base_url, events, poll_seconds=5.0)
    await instance.start()
    yield instance
    await instance.close()


async def test_the_phone_gets_the_sms_and_kömek_hears_it_was_delivered(
    client: SandboxClient, channel: SandboxSmsChannel, events: RecordingEvents
) -> None:
    sent = await channel.send(sms())

    (message,) = await client.sms_messages(PHONE)
    assert (message["direction"], message["text"], message["sender"]) == ("to_phone", TEXT, "Komek")
    assert message["message_id"] == sent.provider_message_id
    assert await client.sms_phones() == [{"phone": PHONE, "messages": 1, "last_seq": 1}]
    await events.wait_for(lambda: bool(events.receipts))
    assert events.receipts == [(sent.provider_message_id, True, None)]
    (message,) = await client.sms_messages(PHONE)
    assert message["status"] == "delivered"


async def test_a_reply_from_the_phone_reaches_kömek(
    client: SandboxClient, channel: SandboxSmsChannel, events: RecordingEvents
) -> None:
    await channel.send(sms())
    with pytest.raises(SandboxError, match=r"E\.164"):
        await client.sms_reply("87011234568", "2")
    await client.sms_reply(PHONE, "1")

    await events.wait_for(lambda: bool(events.replies))
    assert events.replies == [(PHONE, "1")]
    assert [m["direction"] for m in await client.sms_messages(PHONE)] == ["to_phone", "from_phone"]


async def test_faults_on_a_phone_mean_retry_or_refused(
    client: SandboxClient, channel: SandboxSmsChannel
) -> None:
    await client.fail_sms(PHONE, count=1, status=503)
    with pytest.raises(RetryLater, match="503"):
        await channel.send(sms())
    assert (await channel.send(sms())).provider_message_id

    await client.fail_sms(PHONE, count=1, status=400)
    with pytest.raises(Rejected, match="400"):
        await channel.send(sms())
    with pytest.raises(Rejected):
        await channel.send(sms(phone="12"))
    with pytest.raises(Rejected):
        await channel.send(sms(phone=None))
    assert len(await client.sms_messages(PHONE)) == 1


async def test_a_failed_poll_is_tried_again_after_a_pause_that_doubles_on_the_clock(
    events: RecordingEvents,
) -> None:
    polls: list[float] = []
    clock = ManualClock()

    async def inbound(request: web.Request) -> web.Response:
        polls.append(clock.monotonic())
        return web.Response(status=503)

    app = web.Application()
    app.router.add_get("/sms/inbound", inbound)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    channel = SandboxSmsChannel(f"http://127.0.0.1:{port}", events, clock=clock)
    try:
        await channel.start()

        async def polled(times: int) -> bool:
            return len(polls) == times and clock.sleepers == 1

        await until(lambda: polled(1))
        await clock.advance(RETRY_SECONDS - 0.01)
        assert len(polls) == 1  # the clock has not reached the pause's end
        await clock.advance(0.01)
        await until(lambda: polled(2))
        await clock.advance(2 * RETRY_SECONDS)
        await until(lambda: polled(3))
        await clock.advance(4 * RETRY_SECONDS)
        await until(lambda: polled(4))
        assert polls == [0.0, RETRY_SECONDS, 3 * RETRY_SECONDS, 7 * RETRY_SECONDS]
    finally:
        await channel.close()
        await runner.cleanup()
