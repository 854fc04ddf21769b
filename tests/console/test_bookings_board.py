"""The coordinators' board: filters, confirm, decline with a reason, complete, no-show, capacity."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from bookings.service import BookingService
from core import audit
from core.clock import Clock, ManualClock
from core.localtime import LOCAL_ZONE, to_local
from core.models import Person
from core.notifications import Notification
from core.people import People
from core.profile import Language
from tests.console.harness import ConsoleHarness

ASTANA = "astana-deaf-society"  # 3 interpreters, 8 one-hour slots a weekday
ALMATY = "almaty-deaf-society"  # 4 interpreters


def weekday_after(day: date, days: int = 1) -> date:
    """The first Monday-to-Friday day at least `days` after `day`."""
    found = day + timedelta(days=days)
    while found.weekday() >= 5:
        found += timedelta(days=1)
    return found


def weekday_before(day: date) -> date:
    found = day - timedelta(days=1)
    while found.weekday() >= 5:
        found -= timedelta(days=1)
    return found


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_ZONE)


def today(console: ConsoleHarness) -> date:
    return to_local(console.ctx.clock.now()).date()


async def deaf_person(console: ConsoleHarness, telegram_id: int) -> Person:
    async with console.ctx.sessions.begin() as session:
        made = await People(console.ctx.clock).create(session, telegram_id, Language.EN)
        made.disability_kinds = ["deaf"]
    return made


async def book(
    console: ConsoleHarness,
    who: Person,
    starts: datetime,
    hours: int = 1,
    provider: str = ASTANA,
    clock: Clock | None = None,
) -> int:
    """A person's interpreter booking, as the bot makes it (requested)."""
    service = BookingService(console.ctx.sessions, clock or console.ctx.clock)
    event = await service.request(who, "sign_interpreter", starts, hours, provider_id=provider)
    return event.booking.id


def row(page: str, booking_id: int) -> str:
    found = re.search(rf'<tr id="booking-{booking_id}".*?</tr>', page, re.S)
    assert found is not None, f"no row for booking {booking_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def rows(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr id="booking-(\d+)"', page)]


async def test_the_board_filters_and_shows_capacity(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "coordinator")
    await console.add_staff("aigul", "dispatcher")
    day = weekday_after(today(console), 2)
    first = await book(console, await deaf_person(console, 7001), at(day, 10), hours=2)
    second = await book(console, await deaf_person(console, 7002), at(day, 14), provider=ALMATY)
    client = await console.client("dana")

    page = await (await client.get("/bookings")).text()
    assert rows(page) == [first, second]
    assert row(page, first) == (
        f"{first} {day:%Y-%m-%d} 10:00 to 12:00 Sign-language interpreter "
        f"Person {first} Language: English Needs: Deaf At the provider's office Astana "
        "Astana branch of the Kazakh Society of the Deaf 2 Requested: waiting for a coordinator "
        f"Confirm booking {first} Reason for declining booking {first} The person reads it. "
        f"Decline booking {first} Message to the person of booking {first} The bot sends it in "
        f"the chat, with a voice note for those who listen. Send through the bot booking {first} "
        f"Show phone booking {first}"
    )
    only_almaty = await (await client.get(f"/bookings?provider={ALMATY}")).text()
    assert rows(only_almaty) == [second]
    none_confirmed = await (await client.get("/bookings?status=confirmed")).text()
    assert rows(none_confirmed) == []
    assert "No bookings match." in none_confirmed
    other_day = weekday_after(day)
    later = await client.get(f"/bookings?from={other_day}&to={other_day}")
    assert rows(await later.text()) == []
    wrong = await client.get(f"/bookings?from={day}&to={day - timedelta(days=1)}")
    assert "The last day is before the first day." in await wrong.text()

    capacity = await (await client.get(f"/bookings?from={day}&to={day}")).text()
    table = capacity[capacity.index('class="capacity"') :]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", table)).split())
    assert (
        "Astana branch of the Kazakh Society of the Deaf Sign-language interpreter 2 of 24" in text
    )
    assert (
        "Almaty branch of the Kazakh Society of the Deaf Sign-language interpreter 1 of 32" in text
    )

    dispatcher = await console.client("aigul")
    assert (await dispatcher.get("/bookings")).status == 403


async def test_confirm_and_decline_with_a_reason(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "coordinator")
    day = weekday_after(today(console), 2)
    asker = await deaf_person(console, 7003)
    first = await book(console, asker, at(day, 9))
    second = await book(console, asker, at(day, 11))
    client = await console.client("dana")
    back = f"provider={ASTANA}"

    confirmed = await client.post(f"/bookings/{first}/confirm", {"back": back})
    assert confirmed.status == 303
    location = confirmed.headers["Location"]
    assert location.startswith(f"/bookings?provider={ASTANA}&")
    page = await (await client.get(location)).text()
    assert f"Booking {first} is confirmed. The person will be told." in page
    assert "Confirmed" in row(page, first)

    no_reason = await client.post(f"/bookings/{second}/decline", {"reason": " ", "back": back})
    assert no_reason.status == 400
    text = await no_reason.text()
    assert "Please write the reason. The person will see it." in row(text, second)
    assert f'id="reason-{second}"' in text and 'aria-invalid="true"' in text
    reason = "No interpreter is free that morning. Please choose another day."
    declined = await client.post(f"/bookings/{second}/decline", {"reason": reason, "back": back})
    assert declined.status == 303
    page = await (await client.get(declined.headers["Location"])).text()
    assert f"Declined Reason: {reason}" in row(page, second)

    twice = await client.post(f"/bookings/{second}/confirm", {"back": back})
    assert twice.status == 409
    assert f"Booking {second} cannot be changed that way: it is “Declined”." in await twice.text()

    async with console.ctx.sessions() as session:
        told = list(await session.scalars(select(Notification).order_by(Notification.id)))
        steps = [
            e
            for e in await audit.entries(session)
            if e.action in {"booking.confirmed", "booking.declined"}
        ]
    assert [(n.person_id, n.key) for n in told] == [
        (asker.id, "booking.event.confirmed"),
        (asker.id, "booking.event.declined"),
    ]
    assert told[1].params["reason"] == reason
    assert [(e.action, e.actor, e.subject, e.origin) for e in steps] == [
        ("booking.confirmed", "staff:dana", f"booking:{first}", "127.0.0.1"),
        ("booking.declined", "staff:dana", f"booking:{second}", "127.0.0.1"),
    ]
    assert reason not in str(steps[1].details)


async def test_complete_and_no_show_once_started(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "coordinator")
    past_day = weekday_before(today(console))
    then = ManualClock(at(weekday_before(past_day), 12))  # when they booked
    came = await book(console, await deaf_person(console, 7004), at(past_day, 10), clock=then)
    missed = await book(console, await deaf_person(console, 7005), at(past_day, 11), clock=then)
    future = await book(
        console, await deaf_person(console, 7006), at(weekday_after(today(console), 2), 10)
    )
    client = await console.client("dana")
    back = f"from={past_day}&to="
    for booking in (came, missed, future):
        assert (await client.post(f"/bookings/{booking}/confirm", {"back": back})).status == 303

    done = await client.post(f"/bookings/{came}/complete", {"back": back})
    assert done.status == 303
    gone = await client.post(f"/bookings/{missed}/no-show", {"back": back})
    assert gone.status == 303
    page = await (await client.get(gone.headers["Location"])).text()
    assert f"Booking {missed} is marked as a no-show." in page
    assert "Completed" in row(page, came)
    assert "No-show: the person did not come" in row(page, missed)
    early = await client.post(f"/bookings/{future}/complete", {"back": back})
    assert early.status == 409
    assert "This booking has not started yet." in await early.text()
    unknown = await client.post(f"/bookings/{future}/forget", {"back": back})
    assert unknown.status == 404
    async with console.ctx.sessions() as session:
        actions = [e.action for e in await audit.entries(session) if e.subject == f"booking:{came}"]
    assert actions[-2:] == ["booking.confirmed", "booking.completed"]
