"""A delivery receipt as every SMS channel reports it to `InboundEvents.receipt`."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.channels.base import InboundEvents


@dataclass(frozen=True)
class Receipt:
    """A delivery receipt as read from the SMS centre: the message id, delivered or not, why."""

    message_id: str
    """The provider_message_id `send()` returned for the message."""
    delivered: bool
    error: str | None = None
    """Why not delivered, in the provider's status words; never the message text."""

    async def report(self, events: InboundEvents) -> None:
        await events.receipt(self.message_id, self.delivered, self.error)
