"""The address a person gave for bookings, beside the place of their help request: for
dispatchers only, on an audited click (as the phone), with the day it was given and a word
that it may be out of date; the audit log names the request, never the address."""

from __future__ import annotations

import html
import re

from bookings.service import BookingService
from core import audit
from core.profile import Language
from tests.console.harness import ConsoleHarness
from tests.console.test_bookings_board import at, today, weekday_after
from tests.console.test_inbox import emergency, person, row

RU = {"Accept-Language": "ru-RU,ru;q=0.9", "Accept": "text/html"}
KK = {"Accept-Language": "kk", "Accept": "text/html"}
HOME = "улица Абая 10, квартира 5"


async def test_a_dispatcher_sees_the_booking_address_on_request_and_it_is_audited(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("aigul", "dispatcher")
    await console.add_staff("saule", "coordinator")
    asel = await person(console, 9101, Language.RU, "deaf")
    day = weekday_after(today(console), 2)
    service = BookingService(console.ctx.sessions, console.ctx.clock)
    await service.request(asel, "sign_interpreter", at(day, 10), 1, region="75", address=HOME)
    with_address = await emergency(console, asel, "fire", place=True)
    nobody = await emergency(
        console, await person(console, 9102, Language.RU, "blind"), "smoke", place=False
    )
    client = await console.client("aigul")

    page = await (await client.get("/inbox", headers=RU)).text()
    assert "Абая" not in html.unescape(page)  # not shown until asked for
    assert "Показать адрес из заказов" in row(page, with_address)
    assert "Показать адрес из заказов" not in row(page, nobody)

    shown = await client.post(f"/inbox/{with_address}/address", headers=RU)
    assert shown.status == 200
    text = await shown.text()
    shown_row = row(text, with_address)
    assert f"Адрес, который человек дал для заказов: {HOME}" in shown_row
    assert "Он мог устареть." in shown_row
    assert f"Адрес из заказов для просьбы {with_address} виден в её строке." in html.unescape(text)
    assert "Абая" not in row(text, nobody)

    kazakh = await client.post(f"/inbox/{with_address}/address", headers=KK)
    assert "Ол ескірген болуы мүмкін." in row(await kazakh.text(), with_address)

    # the same on the request's own page, where the dispatcher talks with the person
    talk = await (await client.get(f"/inbox/{with_address}", headers=RU)).text()
    assert "Показать адрес из заказов" in talk and "Абая" not in html.unescape(talk)
    here = await client.post(f"/inbox/{with_address}/saved-address", headers=RU)
    assert here.status == 200
    here_text = html.unescape(await here.text())
    assert f"Адрес, который человек дал для заказов: {HOME}" in " ".join(
        re.sub(r"<[^>]+>", " ", here_text).split()
    )
    assert "Адрес из заказов показан." in here_text

    none = await client.post(f"/inbox/{nobody}/address", headers=RU)
    assert none.status == 409
    assert f"Человек из просьбы {nobody} не давал адреса для заказов." in html.unescape(
        await none.text()
    )
    coordinator = await console.client("saule")
    refused = await coordinator.post(f"/inbox/{with_address}/address", headers=RU)
    assert refused.status == 403
    assert "Абая" not in html.unescape(await refused.text())

    async with console.ctx.sessions() as session:
        revealed = await audit.entries(session, action="inbox.address_shown")
    assert [(e.actor, e.subject) for e in revealed] == [
        ("staff:aigul", f"handover:{with_address}")
    ] * 3
    assert all("Абая" not in str(e.details) for e in revealed)
