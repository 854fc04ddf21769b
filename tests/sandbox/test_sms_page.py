"""The page's SMS phones: Kömek's SMS appear and are announced, a reply typed there reaches it."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from alerts.channels.base import Outgoing
from alerts.channels.sandbox_sms import SandboxSmsChannel
from sandbox import SandboxClient, SandboxServer
from tests.alerts.recording import RecordingEvents
from tests.sandbox.test_page import focused_testid, tab_until
from tests.servers.chromium import chromium

pytestmark = pytest.mark.browser

PHONE = "+77011234567"
TEXT = "Үйден шығыңыз. Өрт. Жауап: 1 қауіпсіз, 2 көмек."


async def test_phones_with_the_keyboard_alone(server: SandboxServer) -> None:
    events = RecordingEvents()
    channel = SandboxSmsChannel(server.base_url, events, poll_seconds=5.0)
    await channel.start()
    try:
        async with SandboxClient(server.base_url) as client, chromium() as browser:
            await client.set_sms(receipt_delay_ms=300)
            page = await browser.new_page(viewport={"width": 320, "height": 800})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            await page.goto(server.base_url + "/")
            await expect(page.get_by_test_id("phones-empty")).to_be_visible()

            await channel.send(
                Outgoing(
                    key="1:1:sms:0",
                    delivery_id=1,
                    alert_id=1,
                    language="kk",
                    text=TEXT,
                    phone=PHONE,
                )
            )
            await expect(page.get_by_test_id("phone-select")).to_have_value(PHONE)
            item = page.get_by_test_id("phone-messages").get_by_test_id("sms")
            await expect(item.get_by_test_id("sms-text")).to_have_text(TEXT)
            await expect(item.get_by_test_id("sms-text")).to_have_attribute("lang", "kk")
            await expect(item.get_by_test_id("sms-status")).to_have_text("Delivered")
            await expect(page.get_by_test_id("live-region")).to_contain_text(f"SMS to {PHONE}")
            await expect(page.get_by_test_id("phones-empty")).to_be_hidden()

            await tab_until(page, "Tab", "el.dataset.testid === 'phone-reply-input'")
            await page.keyboard.type("1")
            await page.keyboard.press("Enter")
            await expect(page.get_by_test_id("phone-reply-input")).to_have_value("")
            assert await focused_testid(page) == "phone-reply-input"
            await events.wait_for(lambda: bool(events.replies))
            assert events.replies == [(PHONE, "1")]
            await expect(page.get_by_test_id("phone-messages").get_by_test_id("sms")).to_have_count(
                2
            )
            assert [m["direction"] for m in await client.sms_messages(PHONE)] == [
                "to_phone",
                "from_phone",
            ]
            assert errors == []
    finally:
        await channel.close()
