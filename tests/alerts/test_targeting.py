"""Who an alert reaches (codes, polygons, circles, the region fallback) and on which channels."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import chain, count
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import insert

from alerts.cap.model import Area, CapAlert, Circle, Info
from alerts.models import Channel, Registrant
from alerts.targeting import (
    PLANNED_ON,
    Audience,
    Preview,
    channels_for,
    preview,
    reachable,
    targets,
    telegram_form,
)
from core import encryption
from core.database import SessionFactory

NOW = datetime(2026, 1, 1, tzinfo=UTC)
KM = 1 / 111.195
"""One kilometre north, in degrees of latitude."""
_phones = count(1)

# A square over central Almaty (lat, lon, CAP's order).
CENTRAL_ALMATY = ((43.20, 76.90), (43.20, 77.00), (43.26, 77.00), (43.26, 76.90), (43.20, 76.90))
SHYMKENT = (42.317, 69.587)
KONAEV = (43.866, 77.064)


def registrant(**fields: Any) -> Registrant:
    values: dict[str, Any] = {
        "phone": f"+7701{next(_phones):07d}",
        "telegram_chat_id": None,
        "disability_kinds": ["deaf"],
        "language": "ru",
        "region": "75",
        "latitude": None,
        "longitude": None,
        "wants_sms": False,
        "telegram_unreachable_at": None,
        "consent_source": "list",
        "consent_version": "v1",
        "consent_at": NOW,
        "active": True,
        "test_group": False,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Registrant(**(values | fields))


async def add(sessions: SessionFactory, **fields: Any) -> int:
    async with sessions.begin() as session:
        person = registrant(**fields)
        session.add(person)
        await session.flush()
        return person.id


def alert(*areas: Area, status: str = "Actual") -> CapAlert:
    return CapAlert(
        identifier="KZ-1",
        sender="112@kz",
        sent=NOW,
        status=status,
        msg_type="Alert",
        infos=(Info(language="ru-KZ", areas=areas),),
    )


def kato(*codes: str, name: str = "KATO") -> Area:
    return Area(description="region", geocodes=tuple((name, code) for code in codes))


async def reached(
    sessions: SessionFactory,
    cap: CapAlert,
    audience: Audience | None = None,
    *,
    test_group_only: bool = False,
) -> set[int]:
    async with sessions() as session:
        return {
            person.id
            async for batch in targets(
                session, cap, audience or Audience(), test_group_only=test_group_only
            )
            for person in batch
        }


async def test_a_kato_geocode_reaches_everybody_whose_code_is_inside_it(
    sessions: SessionFactory,
) -> None:
    almaty = await add(sessions, region="75")
    almaly = await add(sessions, region="75111")
    bostandyk = await add(sessions, region="751310000")  # stored with its trailing zeros
    astana = await add(sessions, region="71")
    almaty_region = await add(sessions, region="19")

    assert await reached(sessions, alert(kato("750000000"))) == {almaty, almaly, bostandyk}
    # A district: the people in it, and those known only as "Almaty" (they may be in it).
    assert await reached(sessions, alert(kato("751110000", name="kato"))) == {almaty, almaly}
    both = CapAlert(
        identifier="KZ-2",
        sender="112@kz",
        sent=NOW,
        status="Actual",
        msg_type="Alert",
        infos=(
            Info(language="kk-KZ", areas=(kato("710000000"),)),
            Info(language="ru-KZ", areas=(kato("19"),)),
        ),
    )
    assert await reached(sessions, both) == {astana, almaty_region}


async def test_an_alert_without_a_usable_area_reaches_nobody(sessions: SessionFactory) -> None:
    await add(sessions, region="75", latitude=43.23, longitude=76.95)
    no_kato = alert(kato("750000000", name="FIPS"), kato("990000000"))

    assert await reached(sessions, no_kato) == set()
    assert await reached(sessions, alert()) == set()
    assert await reached(sessions, alert(Area(description="nowhere"))) == set()
    async with sessions() as session:
        shown = await preview(session, no_kato, Audience(), test_group_only=False)
    assert shown == Preview(
        notes=(
            'geocode "FIPS" is not KATO: ignored',
            'KATO geocode "990000000" is not a region here: ignored',
            "the alert has no place we can use: it goes to nobody",
        )
    )


async def test_a_polygon_reaches_people_inside_it_by_their_own_coordinates(
    sessions: SessionFactory,
) -> None:
    inside = await add(sessions, region="75", latitude=43.23, longitude=76.95)
    on_the_edge = await add(sessions, region="75", latitude=43.20, longitude=76.95)
    outside = await add(sessions, region="75", latitude=43.30, longitude=76.80)
    registered_elsewhere = await add(sessions, region="19", latitude=43.25, longitude=76.99)
    area = alert(Area(description="central Almaty", polygons=(CENTRAL_ALMATY,)))

    found = await reached(sessions, area)

    assert found == {inside, on_the_edge, registered_elsewhere}
    assert outside not in found


async def test_a_circle_reaches_people_within_its_radius(sessions: SessionFactory) -> None:
    lat, lon = SHYMKENT
    near = await add(sessions, region="79", latitude=lat + 9 * KM, longitude=lon)
    far = await add(sessions, region="79", latitude=lat + 11 * KM, longitude=lon)
    area = alert(Area(description="Shymkent", circles=(Circle(lat, lon, 10.0),)))

    found = await reached(sessions, area)

    assert near in found
    assert far not in found


async def test_people_without_coordinates_fall_back_to_their_region(
    sessions: SessionFactory,
) -> None:
    almaty = await add(sessions, region="75")
    almaty_district = await add(sessions, region="75111")
    astana = await add(sessions, region="71")
    almaty_region = await add(sessions, region="19")
    shymkent = await add(sessions, region="79")
    turkistan_region = await add(sessions, region="61")

    polygon = alert(Area(description="central Almaty", polygons=(CENTRAL_ALMATY,)))
    shymkent_circle = alert(Area(description="Shymkent", circles=(Circle(*SHYMKENT, 10.0),)))
    konaev_circle = alert(Area(description="Konaev", circles=(Circle(*KONAEV, 20.0),)))

    # A city's people are inside when the city's disc meets the area.
    assert await reached(sessions, polygon) == {almaty, almaty_district}
    assert await reached(sessions, shymkent_circle) == {shymkent}
    # A region's people are inside when the area lies (partly) in their region.
    assert await reached(sessions, konaev_circle) == {almaty_region}
    assert astana not in await reached(sessions, konaev_circle)
    assert turkistan_region not in await reached(sessions, shymkent_circle)
    async with sessions() as session:
        shown = await preview(session, polygon, Audience(), test_group_only=False)
    assert (shown.recipients, shown.located_by_region) == (2, 2)


async def test_the_audience_chooses_disabilities_and_languages(sessions: SessionFactory) -> None:
    deaf = await add(sessions, disability_kinds=["deaf"], language="kk")
    deafblind = await add(sessions, disability_kinds=["deafblind"], language="ru")
    listed_as_both = await add(sessions, disability_kinds=["blind", "deaf"], language="en")
    blind = await add(sessions, disability_kinds=["blind"], language="kk")
    hard_of_hearing = await add(sessions, disability_kinds=["hard_of_hearing"], language="kk")
    almaty = alert(kato("75"))

    assert await reached(sessions, almaty, Audience(kinds=frozenset({"Deaf"}))) == {
        deaf,
        deafblind,
        listed_as_both,
    }
    assert await reached(sessions, almaty, Audience(kinds=frozenset({"deafblind"}))) == {
        deafblind,
        listed_as_both,
    }
    assert await reached(sessions, almaty, Audience(languages=frozenset({"kk"}))) == {
        deaf,
        blind,
        hard_of_hearing,
    }
    both = Audience(kinds=frozenset({"blind"}), languages=frozenset({"kk", "en"}))
    assert await reached(sessions, almaty, both) == {blind, listed_as_both}
    with pytest.raises(ValueError, match="deef"):
        Audience(kinds=frozenset({"deef"}))


async def test_only_active_people_and_for_exercises_only_the_test_group(
    sessions: SessionFactory,
) -> None:
    everyone = await add(sessions)
    tester = await add(sessions, test_group=True)
    await add(sessions, active=False)
    await add(sessions, active=False, test_group=True)
    almaty = alert(kato("75"))

    assert await reached(sessions, almaty) == {everyone, tester}
    assert await reached(sessions, almaty, test_group_only=True) == {tester}


@pytest.mark.parametrize(
    ("fields", "channels", "form"),
    [
        ({"disability_kinds": ["deaf"], "telegram_chat_id": 1}, {Channel.TELEGRAM}, "text"),
        (
            {"disability_kinds": ["deaf"], "telegram_chat_id": 1, "telegram_unreachable_at": NOW},
            {Channel.SMS},
            "text",
        ),
        (
            {
                "disability_kinds": ["deaf"],
                "telegram_chat_id": 1,
                "telegram_unreachable_at": NOW,
                "phone": None,
            },
            set(),
            "text",
        ),
        (
            {"disability_kinds": ["blind"], "telegram_chat_id": 1},
            {Channel.TELEGRAM, Channel.SMS},
            "voice",
        ),
        (
            {"disability_kinds": ["low_vision"], "telegram_chat_id": 1, "phone": None},
            {Channel.TELEGRAM},
            "voice",
        ),
        ({"disability_kinds": ["deafblind"], "telegram_chat_id": 1}, {Channel.TELEGRAM}, "text"),
        (
            {"disability_kinds": ["blind", "deaf"], "telegram_chat_id": 1},
            {Channel.TELEGRAM, Channel.SMS},
            "text",
        ),
        (
            {"disability_kinds": ["hard_of_hearing"], "telegram_chat_id": 1, "wants_sms": True},
            {Channel.TELEGRAM, Channel.SMS},
            "text",
        ),
        ({"disability_kinds": ["mobility"]}, {Channel.SMS}, "text"),
    ],
)
def test_channels_follow_who_the_person_is(
    fields: dict[str, Any], channels: set[Channel], form: str
) -> None:
    person = registrant(**fields)

    assert channels_for(person) == channels
    assert telegram_form(person) == form
    assert telegram_form(person.disability_kinds) == form


async def test_the_preview_counts_recipients_by_channel(sessions: SessionFactory) -> None:
    await add(sessions, disability_kinds=["deaf"], telegram_chat_id=1)
    await add(sessions, disability_kinds=["deaf"], telegram_chat_id=2, wants_sms=True)
    await add(sessions, disability_kinds=["blind"], telegram_chat_id=3)
    await add(sessions, disability_kinds=["deafblind"], telegram_chat_id=4)
    await add(sessions, disability_kinds=["deaf"], telegram_chat_id=5, telegram_unreachable_at=NOW)
    await add(
        sessions,
        disability_kinds=["deaf"],
        telegram_chat_id=6,
        telegram_unreachable_at=NOW,
        phone=None,
    )
    await add(sessions, disability_kinds=["low_vision"])
    await add(sessions, disability_kinds=["deaf"], region="71", telegram_chat_id=7)

    async with sessions() as session:
        shown = await preview(session, alert(kato("75")), Audience(), test_group_only=False)

    assert shown == Preview(recipients=7, telegram_text=3, telegram_voice=1, sms=4, unreachable=1)


async def test_recipients_stream_in_id_order_in_full_batches(sessions: SessionFactory) -> None:
    columns = [column.key for column in Registrant.__table__.columns if column.key != "id"]
    people = [registrant(region="75" if n % 6 else "71") for n in range(3000)]
    rows = [{column: getattr(person, column) for column in columns} for person in people]
    async with sessions.begin() as session:
        await session.execute(insert(Registrant), rows)

    sizes = []
    last_id = 0
    async with sessions() as session:
        async for batch in targets(
            session, alert(kato("75")), Audience(), test_group_only=False, batch_size=1000
        ):
            sizes.append(len(batch))
            assert all(person.region == "75" for person in batch)
            assert [person.id for person in batch] == sorted(person.id for person in batch)
            assert batch[0].id > last_id
            last_id = batch[-1].id

    assert sizes == [1000, 1000, 500]


@pytest.mark.parametrize("data_key", [False, True], ids=["plain", "encrypted"])
async def test_planning_reads_the_same_people_and_channels_as_whole_registrants(
    sessions: SessionFactory, data_key: bool
) -> None:
    """Planning reads `PLANNED_ON` (`reachable`), not whole registrants (`targets`): the same
    people in the same batches, with the same values and channels, with a data key or not."""
    if data_key:
        encryption.configure(SecretStr(encryption.new_key()))
    try:
        inside = (43.23, 76.95)
        await add(sessions, telegram_chat_id=1, latitude=inside[0], longitude=inside[1])
        await add(sessions, telegram_chat_id=2, wants_sms=True, disability_kinds=["blind"])
        await add(sessions, telegram_chat_id=3, telegram_unreachable_at=NOW, language="kk")
        await add(sessions, phone=None, disability_kinds=["low_vision", "deaf"])
        await add(sessions, telegram_chat_id=4, latitude=SHYMKENT[0], longitude=SHYMKENT[1])
        await add(sessions, telegram_chat_id=5, region="71")
        for number in range(6, 11):
            await add(sessions, telegram_chat_id=number, latitude=inside[0], longitude=inside[1])
        area = Area(description="central Almaty", polygons=(CENTRAL_ALMATY,))
        cap = alert(area, kato("75"))

        async with sessions() as session:
            whole = [
                batch
                async for batch in targets(
                    session, cap, Audience(), test_group_only=False, batch_size=3
                )
            ]
            planned = [
                batch
                async for batch in reachable(
                    session, cap, Audience(), test_group_only=False, batch_size=3
                )
            ]
    finally:
        encryption.configure(None)

    # everybody but the Astana registrant (region 71)
    assert [len(batch) for batch in planned] == [len(batch) for batch in whole] == [3, 3, 3, 1]
    keys = [column.key for column in PLANNED_ON]
    for got, expected in zip(chain(*planned), chain(*whole), strict=True):
        assert [getattr(got, key) for key in keys] == [getattr(expected, key) for key in keys]
        assert channels_for(got) == channels_for(expected)
