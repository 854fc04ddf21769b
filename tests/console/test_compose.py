"""Dispatchers compose alerts in the console; approvers check and send them (two-person rule)."""

from __future__ import annotations

import re
from html import unescape

import aiohttp
from sqlalchemy import select

from alerts.cap.codec import from_dict
from alerts.models import Alert
from core import audit
from tests.alerts.broadcast import add_registrants
from tests.console.form_fields import form_fields, with_values
from tests.console.harness import ConsoleHarness, StaffClient

FORM = "compose-form"


async def post_form(
    client: StaffClient, path: str, fields: list[tuple[str, str]]
) -> aiohttp.ClientResponse:
    response = await client.http.post(
        path, data=fields, headers={"Accept": "text/html"}, allow_redirects=False
    )
    await response.read()
    return response


async def new_form(client: StaffClient, query: str = "") -> list[tuple[str, str]]:
    page = await client.get(f"/alerts/new{query}")
    assert page.status == 200, await page.text()
    return form_fields(await page.text(), FORM)


async def compose(
    client: StaffClient, query: str = "?template=earthquake", **values: str | list[str]
) -> int:
    """Compose from the form as the page fills it in; the id of the stored alert."""
    fields = with_values(await new_form(client, query), **values)
    response = await post_form(client, "/alerts/new", fields)
    assert response.status == 303, await response.text()
    found = re.fullmatch(r"/alerts/(\d+)/review", response.headers["Location"])
    assert found is not None
    return int(found.group(1))


async def stored(console: ConsoleHarness, alert_id: int) -> Alert:
    async with console.ctx.sessions() as session:
        alert = await session.get(Alert, alert_id)
    assert alert is not None
    return alert


def counts(html: str) -> dict[str, int]:
    """The "who gets it" table: row heading → number."""
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="number">(\d+)</td>', html)
    return {unescape(name).split(" (")[0]: int(value) for name, value in rows}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def test_compose_from_a_template_in_three_languages(console: ConsoleHarness) -> None:
    await console.add_staff("aigul", "dispatcher")
    client = await console.client("aigul")
    fields = dict(await new_form(client, "?template=flood"))
    assert fields["headline_kk"] == "Су тасқыны қаупі"
    assert fields["headline_ru"] == "Угроза наводнения"
    assert fields["instruction_en"].startswith("Go to higher ground now.")
    assert fields["severity"] == "Severe"
    assert "status" not in fields  # real, exercise or test is a choice nobody makes by default

    alert_id = await compose(client, "?template=flood", status="Actual", regions=["75", "19"])
    alert = await stored(console, alert_id)
    cap = from_dict(alert.document)
    assert alert.state == "awaiting_approval"
    assert alert.created_by == "staff:aigul"
    assert [info.language for info in cap.infos] == ["kk", "ru", "en"]
    assert [info.event for info in cap.infos] == ["Су тасқыны", "Наводнение", "Flood"]
    assert cap.infos[1].areas[0].geocodes == (("KATO", "750000000"),)
    assert [a.description for a in cap.infos[2].areas] == ["Almaty", "Almaty Region"]
    assert "<msgType>Alert</msgType>" in alert.cap_xml
    async with console.ctx.sessions() as session:
        (received,) = await audit.entries(session, action="alert.received")
    assert (received.actor, received.subject) == ("staff:aigul", f"alert:{alert_id}")

    listing = await client.get("/alerts")
    assert listing.status == 200
    listed = text_of(await listing.text())
    assert "Flood danger" in listed and "Waiting for approval" in listed
    assert f'href="/alerts/{alert_id}"' in await listing.text()


async def test_field_problems_are_shown_next_to_the_fields(console: ConsoleHarness) -> None:
    await console.add_staff("berik", "dispatcher")
    client = await console.client("berik")
    fields = with_values(
        await new_form(client), headline_ru="", polygons="43.2,76.9 43.3,north", regions=[]
    )
    response = await post_form(client, "/alerts/new", fields)
    assert response.status == 422
    html = await response.text()
    assert "The alert was not saved. Things to fix: 4" in text_of(html)
    assert 'href="#headline_ru"' in html and 'href="#status-Actual"' in html
    assert re.search(r'id="headline_ru"[^>]*aria-describedby="headline_ru-problem"', html)
    assert 'id="headline_ru-problem"' in html
    assert "Write the headline in Russian." in html
    assert 'Problem: Cannot read "43.3,north": write each point as latitude,longitude' in text_of(
        html
    )
    assert ">43.2,76.9 43.3,north</textarea>" in html  # nothing typed is lost
    async with console.ctx.sessions() as session:
        assert (await session.scalars(select(Alert))).all() == []


async def test_preview_counts_per_channel_match_the_registrants(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "dispatcher")
    client = await console.client("dana")
    chats = list(await console.sandbox.add_users(3))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "disability_kinds": ["deaf"]},
            {"telegram_chat_id": chats[1], "disability_kinds": ["blind"], "phone": "+77011000001"},
            {"phone": "+77011000002", "disability_kinds": ["hard_of_hearing"]},
            {"disability_kinds": ["deaf"]},  # on the list, but no way to reach them
            {"telegram_chat_id": chats[2], "region": "71"},  # Astana: outside the area
        ],
    )
    fields = with_values(await new_form(client), status="Actual", regions="75")
    fragment = await post_form(client, "/alerts/preview?fragment=1", fields)
    assert fragment.status == 200
    html = await fragment.text()
    assert counts(html) == {
        "Everybody reached": 4,
        "Telegram text": 1,
        "Telegram voice note with its text": 1,
        "SMS": 2,
        "No way to reach them": 1,
        "Of these, placed by their region only": 0,
    }
    assert "<html" not in html  # a fragment for the live preview
    assert "Выйдите из здания сейчас." in html
    sms = re.findall(r"SMS: parts (\d) \((\d+) characters\)", html)
    assert len(sms) == 3 and all(1 <= int(parts) <= 3 for parts, _ in sms)

    # without scripts, the Preview button shows the same on the whole page
    page = await post_form(client, "/alerts/preview", with_values(fields, kinds="blind"))
    assert page.status == 200
    assert counts(await page.text())["Everybody reached"] == 1
    assert 'value="blind" checked' in await page.text()

    voice = await post_form(client, "/alerts/preview/voice/kk", fields)
    assert voice.status == 200 and voice.headers["Content-Type"] == "audio/ogg"
    assert (await voice.read()).startswith(b"OggS")


async def test_two_person_rule_then_deliveries_in_the_sandbox(console: ConsoleHarness) -> None:
    await console.add_staff("erlan", "dispatcher,approver")
    await console.add_staff("farida", "approver")
    author = await console.client("erlan")
    approver = await console.client("farida")
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "language": "kk"},
            {
                "telegram_chat_id": chats[1],
                "language": "en",
                "phone": "+77012000001",
                "disability_kinds": ["blind"],
            },
        ],
    )
    alert_id = await compose(author, status="Actual", regions="75")

    own = await author.get(f"/alerts/{alert_id}/review")
    assert "You cannot approve this alert." in text_of(await own.text())
    refused = await author.post(f"/alerts/{alert_id}/approve")
    assert refused.status == 403
    assert "two-person rule" in text_of(await refused.text())
    assert (await stored(console, alert_id)).state == "awaiting_approval"
    assert await console.sandbox.message_counts() == {}

    review = await approver.get(f"/alerts/{alert_id}/review")
    html = await review.text()
    assert "Approve and send to 2 people" in text_of(html)
    assert "Ғимараттан қазір шығыңыз." in html  # exactly what will be sent
    assert f'src="/alerts/{alert_id}/voice/en.ogg"' in html
    assert "&lt;identifier&gt;" in html  # the CAP XML
    voice = await approver.get(f"/alerts/{alert_id}/voice/en.ogg")
    assert voice.status == 200 and (await voice.read()).startswith(b"OggS")

    approved = await approver.post(f"/alerts/{alert_id}/approve")
    assert approved.status == 303
    assert approved.headers["Location"] == f"/alerts/{alert_id}"
    await console.system.fanout.wait_idle()
    assert await console.sandbox.message_counts() == {chats[0]: 1, chats[1]: 1}
    sms = await console.sandbox.sms_messages("+77012000001")
    assert sms[0]["text"].startswith("Leave the building now.")
    alert = await stored(console, alert_id)
    assert alert.approved_by == "staff:farida"
    async with console.ctx.sessions() as session:
        (entry,) = await audit.entries(session, action="alert.approved")
    assert entry.actor == "staff:farida"


async def test_a_dispatcher_without_the_approver_role_cannot_approve(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("gulnar", "dispatcher")
    await console.add_staff("daniyar", "dispatcher")
    alert_id = await compose(await console.client("gulnar"), status="Actual", regions="75")
    other = await console.client("daniyar")
    review = await other.get(f"/alerts/{alert_id}/review")
    assert "only once an approver says yes" in text_of(await review.text())
    assert "Approve and send" not in await review.text()
    refused = await other.post(f"/alerts/{alert_id}/approve")
    assert refused.status == 403
    assert (await stored(console, alert_id)).state == "awaiting_approval"


async def test_an_exercise_reaches_only_the_test_group(console: ConsoleHarness) -> None:
    await console.add_staff("hadiya", "dispatcher")
    client = await console.client("hadiya")
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "test_group": True, "language": "en"},
            {"telegram_chat_id": chats[1]},
        ],
    )
    alert_id = await compose(client, status="Exercise", regions="75")
    review = text_of(await (await client.get(f"/alerts/{alert_id}/review")).text())
    assert "only people in the test group get this" in review
    assert "Approve and send to 1 person" in review
    # an exercise needs no second person: the dispatcher sends it
    approved = await client.post(f"/alerts/{alert_id}/approve")
    assert approved.status == 303
    await console.system.fanout.wait_idle()
    assert await console.sandbox.message_counts() == {chats[0]: 1}
    events = (await console.sandbox.events(chats[0]))["events"]
    assert events[0]["message"]["text"].startswith("This is a drill.")


async def test_update_and_cancel_start_from_the_original(console: ConsoleHarness) -> None:
    await console.add_staff("ilyas", "dispatcher")
    await console.add_staff("zhanna", "approver")
    author = await console.client("ilyas")
    approver = await console.client("zhanna")
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "language": "en", "latitude": 43.24, "longitude": 76.90},
            {"telegram_chat_id": chats[1], "language": "en", "latitude": 43.36, "longitude": 76.95},
        ],
    )
    original_id = await compose(
        author,
        "?template=mudflow",
        status="Actual",
        circles="43.238,76.889 5",
        place_en="Medeu district",
    )
    assert (await approver.post(f"/alerts/{original_id}/approve")).status == 303
    await console.system.fanout.wait_idle()
    original = from_dict((await stored(console, original_id)).document)

    fields = dict(await new_form(author, f"?update={original_id}"))
    assert fields["original"] == str(original_id)
    assert fields["msg_type"] == "Update"
    assert fields["template"] == "mudflow"
    assert fields["status"] == "Actual"
    assert fields["headline_en"] == "Mudflow danger"
    assert fields["circles"] == "43.238,76.889 5"
    assert fields["place_en"] == "Medeu district"

    # the update enlarges the area: the second person is reached too
    update_id = await compose(author, f"?update={original_id}", circles="43.238,76.889 15")
    update = await stored(console, update_id)
    assert update.msg_type == "Update" and update.references == [original_id]
    assert f"{original.sender},{original.identifier}," in update.cap_xml
    review = text_of(await (await approver.get(f"/alerts/{update_id}/review")).text())
    assert "Of these, people who got the earlier alert 1" in review
    assert f"Refers to Alert {original_id}: Mudflow danger" in review

    cancel_id = await compose(author, f"?cancel={original_id}", circles="")
    cancel = await stored(console, cancel_id)
    assert cancel.msg_type == "Cancel" and cancel.references == [original_id]
    assert (await approver.post(f"/alerts/{cancel_id}/approve")).status == 303
    await console.system.fanout.wait_idle()
    events = (await console.sandbox.events(chats[0]))["events"]
    texts = [event["message"]["text"] for event in events if event["kind"] == "bot_message"]
    assert texts[-1].startswith("All clear.")
    assert await console.sandbox.message_counts() == {chats[0]: 2}

    cancelled_again = await author.get(f"/alerts/new?cancel={cancel_id}")
    assert cancelled_again.status == 409


async def test_an_approver_rejects_with_a_reason(console: ConsoleHarness) -> None:
    await console.add_staff("kairat", "dispatcher")
    await console.add_staff("lyazzat", "approver")
    alert_id = await compose(await console.client("kairat"), status="Actual", regions="75")
    approver = await console.client("lyazzat")
    missing = await approver.post(f"/alerts/{alert_id}/reject", {"reason": "  "})
    assert missing.status == 422
    assert "Write why the alert is rejected" in text_of(await missing.text())
    rejected = await approver.post(f"/alerts/{alert_id}/reject", {"reason": "Wrong region"})
    assert rejected.status == 303
    page = text_of(await (await approver.get(f"/alerts/{alert_id}/review")).text())
    assert "State: Rejected" in page and "Reason: Wrong region" in page
    assert (await approver.post(f"/alerts/{alert_id}/approve")).status == 403
    assert (await stored(console, alert_id)).state == "rejected"
    async with console.ctx.sessions() as session:
        (entry,) = await audit.entries(session, action="alert.rejected")
    assert (entry.actor, entry.subject) == ("staff:lyazzat", f"alert:{alert_id}")


async def test_who_may_open_which_page(console: ConsoleHarness) -> None:
    await console.add_staff("marat", "coordinator")
    await console.add_staff("nurlan", "approver")
    coordinator = await console.client("marat")
    approver = await console.client("nurlan")
    assert (await coordinator.get("/alerts")).status == 403
    assert (await approver.get("/alerts")).status == 200
    assert "New alert" not in await (await approver.get("/alerts")).text()
    assert (await approver.get("/alerts/new")).status == 403
    assert (await approver.post("/alerts/new", {"status": "Actual"})).status == 403
    assert (await approver.get("/alerts/99/review")).status == 404


async def test_without_the_two_person_rule_an_approver_sends_their_own_alert(
    console: ConsoleHarness,
) -> None:
    console.ctx.settings = console.ctx.settings.model_copy(
        update={"console_two_person_rule": False}
    )
    await console.add_staff("olzhas", "dispatcher,approver")
    await console.add_staff("perizat", "dispatcher")
    chats = list(await console.sandbox.add_users(1))
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chats[0]}])
    own = await console.client("olzhas")
    alert_id = await compose(own, status="Actual", regions="75")
    assert (await own.post(f"/alerts/{alert_id}/approve")).status == 303
    await console.system.fanout.wait_idle()
    assert await console.sandbox.message_counts() == {chats[0]: 1}
    # the approver role is still needed for a real alert
    dispatcher = await console.client("perizat")
    second = await compose(dispatcher, status="Actual", regions="75")
    assert (await dispatcher.post(f"/alerts/{second}/approve")).status == 403
