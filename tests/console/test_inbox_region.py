"""The help inbox says which region a shared place lies in (issue 21), from the region
outlines, in the dispatcher's language, beside the map link and the coordinates."""

from __future__ import annotations

import re

from console.place_region import region_at
from core.models import HandoverRequest
from tests.console.harness import ConsoleHarness


def test_a_place_is_in_the_region_whose_outline_holds_it() -> None:
    assert region_at(43.238, 76.945) == "75"  # Almaty, inside Almaty region's outline too
    assert region_at(51.128, 71.430) == "71"  # Astana
    assert region_at(42.317, 69.596) == "79"  # Shymkent
    assert region_at(47.107, 51.914) == "23"  # Atyrau
    assert region_at(43.25, 68.2) == "61"  # Turkistan region, outside its cities
    assert region_at(55.756, 37.617) is None  # Moscow


async def test_the_inbox_names_the_region_in_russian_and_kazakh(console: ConsoleHarness) -> None:
    await console.add_staff("dana", "dispatcher")
    client = await console.client("dana")
    async with console.ctx.sessions.begin() as session:
        for latitude, longitude in ((43.238, 76.945), (55.756, 37.617)):
            session.add(
                HandoverRequest(
                    language="ru",
                    kind="emergency",
                    latitude=latitude,
                    longitude=longitude,
                    created_at=console.ctx.clock.now(),
                )
            )
    russian = await (await client.get("/inbox", headers={"Accept-Language": "ru"})).text()
    assert re.search(r"Регион: город Алматы<br>\s*<a href=", russian)
    assert "Вне регионов Казахстана" in russian
    kazakh = await (await client.get("/inbox", headers={"Accept-Language": "kk"})).text()
    assert "Өңір: Алматы қаласы" in kazakh
