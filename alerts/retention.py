"""What the alerts keep, and for how long (see `core.retention`).

- Registrants marked inactive (no longer on the official list) are deleted some days later.
- Delivery records and recipients of alerts older than some days are anonymised: the link to
  the registrant, the provider's message id and the error text (which may quote a number) are
  dropped; channel, state, step, answer and times stay, so an alert's figures
  (`AlertService.status`) do not change.

Deleting a registrant would delete their ledger rows with them (the foreign key cascades), and
with them the figures of past alerts; `detach` anonymises those rows first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Alert, AlertRecipient, Delivery, DeliveryState, Registrant
from core.models import HandoverRequest
from core.retention import Policy, Rule, anonymise, change

FINISHED = (
    DeliveryState.SENT,
    DeliveryState.DELIVERED,
    DeliveryState.FAILED,
    DeliveryState.EXPIRED,
)
"""States a delivery no longer leaves: anonymising it changes nothing to come."""


async def detach(session: AsyncSession, registrants: Select[int], now: datetime) -> None:
    """Anonymise the ledger rows and help-request links of the registrants (ids selected by
    `registrants`) before they are deleted, so their alerts' figures stay.

    A delivery not finished yet never will be: it is marked expired (not sent), as when an
    alert expires; a worker sending it right now finds it taken away and writes nothing.
    """
    anonymous = {"registrant_id": None, "provider_message_id": None, "last_error": None}
    mine = Delivery.registrant_id.in_(registrants)
    await change(session, Delivery, and_(mine, Delivery.state.in_(FINISHED)), **anonymous)
    await change(
        session,
        Delivery,
        and_(mine, Delivery.state.not_in(FINISHED)),
        **anonymous,
        state=DeliveryState.EXPIRED,
        finished_at=now,
        lease_until=None,
    )
    await change(
        session,
        AlertRecipient,
        AlertRecipient.registrant_id.in_(registrants),
        registrant_id=None,
        next_step_at=None,
    )
    await change(
        session,
        HandoverRequest,
        HandoverRequest.registrant_id.in_(registrants),
        registrant_id=None,
    )


def rules(policy: Policy) -> list[Rule]:
    async def inactive_registrants(session: AsyncSession, now: datetime) -> int:
        cutoff = now - timedelta(days=policy.inactive_registrant_days)
        since = func.coalesce(Registrant.inactive_since, Registrant.updated_at)
        where = and_(Registrant.active.is_(False), since < cutoff)
        await detach(session, select(Registrant.id).where(where), now)
        return await change(session, Registrant, where)

    def old_alerts(now: datetime) -> Select[int]:
        cutoff = now - timedelta(days=policy.delivery_days)
        return select(Alert.id).where(Alert.created_at < cutoff)

    async def deliveries(session: AsyncSession, now: datetime) -> int:
        return await anonymise(
            session,
            Delivery,
            and_(Delivery.alert_id.in_(old_alerts(now)), Delivery.state.in_(FINISHED)),
            Delivery.registrant_id,
            Delivery.provider_message_id,
            Delivery.last_error,
        )

    async def recipients(session: AsyncSession, now: datetime) -> int:
        where = and_(
            AlertRecipient.alert_id.in_(old_alerts(now)),
            AlertRecipient.registrant_id.is_not(None),
        )
        return await change(session, AlertRecipient, where, registrant_id=None, next_step_at=None)

    days = policy.delivery_days
    return [
        Rule(
            key="registrants_deleted",
            label="Registrants deleted (no longer on the list for over "
            f"{policy.inactive_registrant_days} days)",
            apply=inactive_registrants,
        ),
        Rule(
            key="deliveries_anonymised",
            label=f"Delivery records anonymised (alerts over {days} days old)",
            apply=deliveries,
        ),
        Rule(
            key="recipients_anonymised",
            label=f"Alert recipients anonymised (alerts over {days} days old)",
            apply=recipients,
        ),
    ]
