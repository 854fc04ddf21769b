"""Teaching the assistant in Chromium: an admin labels messages with the keyboard only; axe-core
finds no serious problem on the list, after saving, or with a problem shown."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from core import audit
from core.models import ReviewItem
from core.profile import Language
from nlu.review import Reason
from tests.console.harness import ConsoleHarness, assert_accessible, browser_context, sign_in
from tests.console.test_review import PRIVATE, kept_message
from tests.console.test_staff_browser import tab_to

pytestmark = pytest.mark.browser


async def test_an_admin_labels_messages_with_the_keyboard_only(
    console: ConsoleHarness, browser: Browser
) -> None:
    await console.add_staff("root", "admin")
    first = await kept_message(console, PRIVATE)
    second = await kept_message(
        console, "маған такси керек", language=Language.KK, reason=Reason.REPEATED
    )
    async with browser_context(browser) as context:
        page = await context.new_page()
        await sign_in(page, console.base_url, "root")
        await page.goto(console.base_url + "/")
        await (
            page.get_by_role("navigation", name="Main")
            .get_by_role("link", name="Teach the assistant")
            .click()
        )
        await expect(page.get_by_role("heading", name="Teach the assistant")).to_be_visible()
        await expect(page.locator(f"#message-{first}-text")).to_have_text(
            "my name is [name], phone [phone], where do I get a social taxi?"
        )
        await assert_accessible(page)

        # Saving without a choice: the browser refuses (the field is required) and focuses it.
        await tab_to(page, f"Save message {first}")
        await page.keyboard.press("Enter")
        field = page.get_by_label(f"Right intent for message {first}")
        await expect(field).to_be_focused()
        assert await field.evaluate("select => select.validity.valueMissing")
        await page.keyboard.press("End")  # the list ends with "Not a real request"
        await expect(field).to_have_value("not_a_request")
        await page.keyboard.type("social_taxi_info")  # typing an option's first letters
        await expect(field).to_have_value("social_taxi_info")
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("button", name=f"Save message {first}")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status").first).to_contain_text(f"Message {first} is saved.")
        await expect(page.locator(f"#message-{first}")).to_have_count(0)
        await assert_accessible(page)

        # A choice the server refuses (a stale page): the problem is shown by the field.
        await page.get_by_label(f"Right intent for message {second}").evaluate(
            "select => { select.required = false; select.value = ''; }"
        )
        await tab_to(page, f"Save message {second}")
        await page.keyboard.press("Enter")
        problem = page.locator(f"#label-{second}-problem")
        await expect(problem).to_contain_text("choose the right intent first")
        invalid = page.get_by_label(f"Right intent for message {second}")
        await expect(invalid).to_have_attribute("aria-invalid", "true")
        await expect(invalid).to_be_focused()
        await assert_accessible(page)

    async with console.ctx.sessions() as session:
        labels = dict((await session.execute(select(ReviewItem.id, ReviewItem.label))).all())
        entries = await audit.entries(session, action="nlu_review.labelled")
    assert labels == {first: "social_taxi_info", second: None}
    assert [entry.subject for entry in entries] == [f"review:{first}"]
