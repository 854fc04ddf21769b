"""Whom an alert will reach and on which channels, counted as the fan-out will send it.

Like `alerts.targeting.preview`, and also counting, for an Update or a Cancel, the people
who got the earlier alerts (the planner sends to them first, whatever the area; a Cancel
goes to them only). Nobody is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.areas import Match, compile_area
from alerts.cap.model import CapAlert, Reference
from alerts.models import Alert, AlertRecipient, Registrant
from alerts.targeting import Audience, ChannelTally, matching, test_group_only

PAGE = 1000


@dataclass(frozen=True)
class Reach:
    """How many people an alert reaches, on which channels, and how they were matched."""

    recipients: int = 0
    telegram_text: int = 0
    telegram_voice: int = 0
    sms: int = 0
    unreachable: int = 0
    """In the area, but with no working Telegram and no phone."""
    located_by_region: int = 0
    """Without coordinates, included because of their region."""
    earlier: int = 0
    """Of the recipients, those who got an earlier alert this one updates or cancels."""
    test_group_only: bool = False
    notes: tuple[str, ...] = ()


class _Tally(ChannelTally):
    """Counts each registrant once, remembering whom it counted."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()

    def add(self, registrant: Registrant) -> None:
        self.seen.add(registrant.id)
        super().add(registrant)


async def earlier_ids(session: AsyncSession, references: Iterable[Reference]) -> list[int]:
    """Ids of the stored alerts among `references` (by sender and identifier)."""
    found: list[int] = []
    for reference in references:
        alert_id = await session.scalar(
            select(Alert.id).where(
                Alert.sender == reference.sender, Alert.identifier == reference.identifier
            )
        )
        if alert_id is not None and alert_id not in found:
            found.append(alert_id)
    return found


async def reach(
    session: AsyncSession, alert: CapAlert, audience: Audience, earlier: Sequence[int]
) -> Reach:
    tally = _Tally()
    last = 0
    while earlier:
        page = list(
            (
                await session.scalars(
                    select(Registrant)
                    .join(AlertRecipient, AlertRecipient.registrant_id == Registrant.id)
                    .where(
                        AlertRecipient.alert_id.in_(list(earlier)),
                        Registrant.active.is_(True),
                        Registrant.id > last,
                    )
                    .distinct()
                    .order_by(Registrant.id)
                    .limit(PAGE)
                )
            ).all()
        )
        if not page:
            break
        for registrant in page:
            tally.add(registrant)
        last = page[-1].id
    from_earlier = len(tally.seen)
    by_region = 0
    area = compile_area(alert)
    only_tests = test_group_only(alert)
    if alert.msg_type != "Cancel":
        async for batch in matching(session, area, audience, test_group_only=only_tests):
            for registrant, how in batch:
                if registrant.id in tally.seen:
                    continue
                tally.add(registrant)
                by_region += how is Match.REGION
    notes = area.notes if alert.msg_type != "Cancel" else ()
    return Reach(
        **tally.counts,
        located_by_region=by_region,
        earlier=from_earlier,
        test_group_only=only_tests,
        notes=notes,
    )
