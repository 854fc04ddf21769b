"""Issue 16, finding 7: a coordinator sees and changes only the bookings of their
organisation's regions (KATO prefixes); an admin sees all.
"""

from __future__ import annotations

from tests.console.harness import ConsoleHarness
from tests.console.test_bookings_board import (
    ALMATY,
    ASTANA,
    at,
    book,
    deaf_person,
    rows,
    today,
    weekday_after,
)


async def test_coordinators_see_only_their_regions(console: ConsoleHarness) -> None:
    await console.add_staff("asel", "coordinator", regions=("71",))  # Astana
    await console.add_staff("marat", "coordinator", regions=("75",))  # Almaty
    await console.add_staff("nobody", "coordinator", regions=())
    await console.add_staff("root", "admin")
    person = await deaf_person(console, 5151)
    day = weekday_after(today(console), 2)
    in_astana = await book(console, person, at(day, 10), provider=ASTANA)
    in_almaty = await book(console, person, at(day, 11), provider=ALMATY)
    board = f"/bookings?from={day.isoformat()}&to={day.isoformat()}"

    asel, marat = await console.client("asel"), await console.client("marat")
    assert rows(await (await asel.get(board)).text()) == [in_astana]
    assert rows(await (await marat.get(board)).text()) == [in_almaty]
    nobody = await (await console.client("nobody")).get(board)
    assert rows(await nobody.text()) == []
    assert "Your account has no region yet" in await nobody.text()
    admin = await console.client("root")
    assert sorted(rows(await (await admin.get(board)).text())) == sorted([in_astana, in_almaty])

    # another region's booking cannot be changed either: as if it did not exist
    refused = await asel.post(f"/bookings/{in_almaty}/confirm", {"back": ""})
    assert refused.status == 409
    assert f"Booking {in_almaty} was not changed" in await refused.text()
    done = await marat.post(f"/bookings/{in_almaty}/confirm", {"back": ""})
    assert done.status == 303
