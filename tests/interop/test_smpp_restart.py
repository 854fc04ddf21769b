"""node-smpp's SMS centre killed and started again mid-broadcast (issue 17).

The SMSC process dies without a word (SIGKILL) while an alert in several parts is going out
to many phones, and comes back on the same port. The fan-out binds again and goes on: every
phone gets the whole alert, and no phone gets the whole alert twice (a part the dead SMSC took
but never answered may come again; SMPP 3.4 has no way to ask).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from alerts.cap.export import to_xml
from alerts.models import Delivery
from core.database import SessionFactory
from core.settings import Settings
from tests.alerts.broadcast import add_registrants, alert, smpp_alert_system
from tests.interop.node_peers import Event, NodeSmsc
from tests.servers.ports import free_port
from tests.waiting import until

PHONES = tuple(f"+7701{number:07d}" for number in range(300, 340))


def whole_messages(submits: list[Event]) -> Counter[tuple[str, str]]:
    """(phone, text) of every message a phone could put together from the parts the SMS
    centres took: the parts of one phone under one reference are one message to it."""
    parts: dict[tuple[str, int, int], dict[int, str]] = {}
    for part in submits:
        reference = part["reference"] if part["total"] > 1 else -part["number"]
        key = (part["destination"], reference, part["total"])
        parts.setdefault(key, {})[part["index"]] = part["text"]
    return Counter(
        (destination, "".join(texts[index] for index in sorted(texts)))
        for (destination, _, total), texts in parts.items()
        if len(texts) == total
    )


async def _unsettled(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.state.in_(("queued", "sending")))
            )
            or 0
        )


async def test_a_killed_smsc_that_comes_back_gets_the_rest_and_no_whole_message_twice(
    settings: Settings, sessions: SessionFactory
) -> None:
    await add_registrants(sessions, [{"phone": phone, "wants_sms": True} for phone in PHONES])
    port = free_port()
    first = NodeSmsc(port=port)
    async with first, smpp_alert_system(settings, sessions, first) as system:
        await first.wait_for(lambda: first.first("bound") is not None)
        stored = await system.service.receive(to_xml(alert("smsc-killed")), actor="d-1")
        await system.service.approve(stored.id, actor="a-2")
        await first.wait_for(lambda: len(first.submits) >= 25)
        await first.kill()  # mid-broadcast: the rest has not gone yet
        took_first = list(first.submits)
        assert len(took_first) < 3 * len(PHONES), "killed before the end"
        async with NodeSmsc(port=port) as second:

            async def settled() -> bool:
                return await _unsettled(sessions) == 0

            await until(settled, 60.0)
            took_second = list(second.submits)

    assert all(part["total"] > 1 for part in took_first), "a long alert, in parts"
    assert took_second, "the rest went to the SMSC that came back"
    whole = whole_messages(took_first + took_second)
    texts = {text for _, text in whole}
    assert len(texts) == 1, "one alert text"
    assert {phone for phone, _ in whole} == {p.removeprefix("+") for p in PHONES}, "none lost"
    assert max(whole.values()) == 1, "no phone got the whole alert twice"
    async with sessions() as session:
        states = Counter(await session.scalars(select(Delivery.state)))
    assert set(states) <= {"sent", "delivered"}, states
