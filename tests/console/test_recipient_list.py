"""An alert's recipient list in the console: filters, pages, the masked CSV, and which alerts
one SMS reply answered."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from alerts.acks import Acks
from alerts.models import AlertRecipient, Answer, Registrant
from core import audit
from tests.alerts.broadcast import add_registrants
from tests.console.following import PHONES, RUSSIAN, answer, send, staff
from tests.console.harness import ConsoleHarness
from tests.waiting import until


async def test_the_recipient_list_filters_by_answer_and_channel_state_and_masks_phones(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chats = list(await console.sandbox.add_users(4))
    await console.sandbox.set_faults(chats[3], blocked=True)  # Telegram: blocked the bot
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "disability_kinds": ["hard_of_hearing"]},
            {"telegram_chat_id": chats[1], "language": "kk", "region": "751010000"},
            {"telegram_chat_id": chats[2]},
            {"telegram_chat_id": chats[3]},
            {"phone": PHONES[1], "disability_kinds": ["blind"]},
        ],
    )
    alert_id = await send(console)
    await answer(console, chats[0], Answer.SAFE)
    await answer(console, chats[1], Answer.HELP)

    everyone = await (await client.get(f"/alerts/{alert_id}/recipients")).text()
    assert "Recipients found: 5. Filter: everyone." in everyone
    assert PHONES[1] not in everyone
    assert "+7 7** *** 22 33" in everyone
    assert "hard of hearing" in everyone and "Almaty" in everyone

    needs_help = await (await client.get(f"/alerts/{alert_id}/recipients?answer=help")).text()
    rows = re.findall(r'<th scope="row">(\d+)</th>', needs_help)
    assert len(rows) == 1
    assert "I need help" in needs_help and "Recipients found: 1." in needs_help
    assert '<option value="help" selected>' in needs_help

    unanswered = await (await client.get(f"/alerts/{alert_id}/recipients?answer=unanswered")).text()
    assert len(re.findall(r'<th scope="row">(\d+)</th>', unanswered)) == 3

    failed = await (
        await client.get(f"/alerts/{alert_id}/recipients?channel=telegram&state=failed")
    ).text()
    assert len(re.findall(r'<th scope="row">(\d+)</th>', failed)) == 1
    assert "Failed" in failed

    by_sms = await (await client.get(f"/alerts/{alert_id}/recipients?channel=sms")).text()
    assert "Recipients found: 1." in by_sms

    russian = await (await client.get(f"/alerts/{alert_id}/recipients", headers=RUSSIAN)).text()
    assert "Найдено получателей: 5. Фильтр: все." in russian
    assert "слабослышащий" in russian and "Алматы" in russian and "Нужна помощь" in russian
    help_ru = f"/alerts/{alert_id}/recipients?channel=telegram&state=failed&answer=help"
    assert (
        "Фильтр: Telegram: не удалось; Нужна помощь."
        in await (await client.get(help_ru, headers=RUSSIAN)).text()
    )

    async with console.ctx.sessions() as session:
        viewed = await audit.entries(session, action="alert.recipients_viewed")
    assert len(viewed) == 7
    assert all(entry.actor == "staff:dana" for entry in viewed)
    assert all(entry.subject == f"alert:{alert_id}" for entry in viewed)
    assert {entry.details["filter"] for entry in viewed} >= {"everyone", "I need help"}
    assert all(PHONES[1] not in str(entry.details) for entry in viewed)


async def test_recipients_are_paged_a_hundred_at_a_time(console: ConsoleHarness) -> None:
    client = await staff(console)
    chats = await console.sandbox.add_users(130)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chat} for chat in chats])
    alert_id = await send(console)
    first = await (await client.get(f"/alerts/{alert_id}/recipients")).text()
    assert len(re.findall(r'<th scope="row">(\d+)</th>', first)) == 100
    assert "Page 1 of 2" in first and "Next page" in first
    second = await (await client.get(f"/alerts/{alert_id}/recipients?page=2")).text()
    assert len(re.findall(r'<th scope="row">(\d+)</th>', second)) == 30
    assert "Previous page" in second and "Next page" not in second
    past_the_end = await (await client.get(f"/alerts/{alert_id}/recipients?page=99")).text()
    assert "Page 2 of 2" in past_the_end


async def test_the_csv_export_has_every_row_masked_with_a_byte_order_mark(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chats = await console.sandbox.add_users(3)
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": chat} for chat in chats]
        + [{"phone": phone, "language": "kk"} for phone in PHONES],
    )
    alert_id = await send(console)
    await answer(console, chats[0], Answer.HELP)

    response = await client.http.get(f"/alerts/{alert_id}/recipients.csv")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = await response.read()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert all(phone not in text for phone in PHONES)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    phones = sorted(row["Phone (masked)"] for row in rows if row["Phone (masked)"])
    assert phones == ["+7 7** *** 22 33", "+7 7** *** 45 67"]
    assert {row["Telegram"] for row in rows} == {"Sent", ""}
    assert [row["Answer"] for row in rows].count("I need help") == 1
    assert {row["Region"] for row in rows} == {"Almaty"}

    only_help = await client.http.get(f"/alerts/{alert_id}/recipients.csv?answer=help")
    assert len(list(csv.DictReader(io.StringIO((await only_help.read()).decode("utf-8-sig"))))) == 1

    async with console.ctx.sessions() as session:
        exported = await audit.entries(session, action="alert.recipients_exported")
    assert [entry.details["filter"] for entry in exported] == ["everyone", "I need help"]


async def test_the_recipient_list_says_which_other_alerts_one_sms_reply_answered(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chat = (await console.sandbox.add_users(1))[0]
    await add_registrants(
        console.ctx.sessions,
        [{"phone": PHONES[0]}, {"phone": PHONES[1], "telegram_chat_id": chat}],
    )
    first = await send(console, "quake-1")
    second = await send(console, "quake-2")
    async with console.ctx.sessions.begin() as session:  # the second person pressed a button
        registrant = await session.scalar(
            select(Registrant).where(Registrant.telegram_chat_id == chat)
        )
        assert registrant is not None
        acks = Acks(console.ctx.clock)
        assert await acks.answer(session, registrant, Answer.SAFE, via="button", alert_id=first)
    for phone in PHONES:  # "1" answers every open alert that reached the phone by SMS
        await console.sandbox.sms_reply(phone, "1")

    async def all_answered() -> bool:
        async with console.ctx.sessions() as session:
            answers = await session.scalars(
                select(AlertRecipient.answer).where(AlertRecipient.answer.is_not(None))
            )
            return len(list(answers)) == 4

    await until(all_answered)
    page = await (await client.get(f"/alerts/{first}/recipients")).text()
    assert page.count("This one SMS reply also went to:") == 1
    assert f'<a href="/alerts/{second}">alert {second}</a>' in page
    page = await (await client.get(f"/alerts/{second}/recipients")).text()
    assert f'<a href="/alerts/{first}">alert {first}</a>' in page
    # The second person's SMS answered only the second alert: nothing more to say for them.
    assert page.count("This one SMS reply also went to:") == 1
