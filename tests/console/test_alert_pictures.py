"""The alert page's pictures (issue 21): the area over Kazakhstan's regions with the places of
people who need help, and the answers over time, drawn on the server as SVG with text."""

from __future__ import annotations

import re

from shapely.geometry import Point  # type: ignore[import-untyped]

from alerts.models import Answer
from alerts.registry.outlines import outlines
from alerts.registry.regions import regions
from core.models import HandoverRequest
from tests.alerts.broadcast import add_registrants
from tests.console.harness import ConsoleHarness
from tests.console.test_follow import PHONES, RUSSIAN, answer, send, staff

ALMATY = (43.238, 76.945)


def test_every_kato_region_has_an_outline_around_its_centre() -> None:
    shapes = outlines()
    assert set(shapes) == {region.code for region in regions()}
    assert len(shapes) == 20
    for region in regions():
        latitude, longitude = region.centre
        assert shapes[region.code].contains(Point(longitude, latitude)), region.code


async def test_the_alert_page_draws_the_area_the_help_places_and_the_answers(
    console: ConsoleHarness,
) -> None:
    client = await staff(console)
    chats = await console.sandbox.add_users(3)
    await add_registrants(
        console.ctx.sessions,
        [{"telegram_chat_id": chat} for chat in chats] + [{"phone": PHONES[0]}],
    )
    alert_id = await send(console)
    await answer(console, chats[0], Answer.SAFE)
    await answer(console, chats[1], Answer.HELP)
    async with console.ctx.sessions.begin() as session:
        session.add(
            HandoverRequest(
                language="ru",
                alert_id=alert_id,
                kind="emergency",
                latitude=ALMATY[0],
                longitude=ALMATY[1],
                created_at=console.ctx.clock.now(),
            )
        )

    html = await (await client.get(f"/alerts/{alert_id}")).text()
    area_map = re.search(r'<svg class="area-map".*?</svg>', html, re.S)
    assert area_map is not None
    drawn = area_map.group(0)
    assert 'role="img"' in drawn and 'aria-labelledby="area-map-title area-map-desc"' in drawn
    assert drawn.count('<path class="region') == 20
    assert drawn.count('class="region in-area"') == 1
    assert "<title>Almaty</title></path>" in drawn
    assert "Regions in the alert: Almaty." in drawn
    assert drawn.count('class="help-place"') == 1  # a dispatcher sees where
    assert "http" not in drawn.replace('xmlns="http://www.w3.org/2000/svg"', "")

    chart = re.search(r'<svg class="answers-chart".*?</svg>', html, re.S)
    assert chart is not None and chart.group(0).count("<polyline") == 3
    assert re.search(r": 1 safe, 1 need help, 2 not answered yet\.</desc>", chart.group(0))
    timeline = html[html.index('class="answers-over-time"') :]
    assert timeline[: timeline.index("</table>")].count('<th scope="row">') == 12

    russian = await (await client.get(f"/alerts/{alert_id}", headers=RUSSIAN)).text()
    assert "Регионы в оповещении: город Алматы." in russian
    assert "нужна помощь 1, ещё не ответили 2." in russian

    await console.add_staff("aliya", "approver")
    approver = await (await console.client("aliya")).get(f"/alerts/{alert_id}")
    shown = await approver.text()
    assert '<svg class="area-map"' in shown
    assert 'class="help-place"' not in shown  # the places are for dispatchers only
    assert re.search(r"<th scope=\"row\">Almaty</th><td class=\"number\">1</td>", shown)

    piece = await client.get(f"/alerts/{alert_id}/pictures", headers=RUSSIAN)
    assert piece.status == 200
    fragment = await piece.text()
    assert "<html" not in fragment and fragment.count("<svg") == 2
    assert 'class="help-place"' in fragment and "нужна помощь 1" in fragment
    assert 'data-pictures="/alerts/' in html  # where the page's script fetches them again
