"""Who may speak in whose name, and change what real recipients were told.

Every alert has an owner: a CAP API sender (`sender:NAME`), or the organisation that runs
Kömek (staff in the console, the command line). A document's CAP `<sender>` says who it
speaks for: a value registered to an API sender is that sender's alone, any other value is
the organisation's. References are authority: an Update or Cancel (or any document naming
earlier alerts) reaches the earlier alerts' recipients, so it may name only alerts of its own
owner, and must be of the same or a stronger status class, so that it needs the approval the
original needed: an Actual original means an Actual follow-up, approved by a second person.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.said import Said

ORGANISATION = "organisation"
"""The owner of alerts composed in the console or sent from the command line."""
STATUS_RANK = {"Test": 1, "Exercise": 2, "Actual": 3}
"""Status classes, weakest first; System and Draft reach nobody."""


@dataclass(frozen=True)
class Original:
    """An earlier alert that a document references, as far as authority goes."""

    id: int
    status: str
    created_by: str


def owner_of(actor: str) -> str:
    """The owner an actor speaks for: an API sender itself, anybody else the organisation."""
    return actor if actor.startswith("sender:") else ORGANISATION


def owner_words(owner: str) -> Said:
    """An owner as the console names it."""
    if owner.startswith("sender:"):
        return Said("alerts.owner.sender", name=owner.removeprefix("sender:"))
    return Said("alerts.owner.organisation")


def identity_refusal(cap_sender: str, registered_to: str | None, actor: str) -> Said | None:
    """Why `actor` may not post a document whose CAP sender is `cap_sender`; None if it may.

    `registered_to` is the owner (`sender:NAME`) the value is registered to, if any.
    """
    owner = owner_of(actor)
    if owner == ORGANISATION:
        if registered_to is None:
            return None
        return Said(
            "alerts.refused.sender_taken", sender=cap_sender, owner=owner_words(registered_to)
        )
    if registered_to == owner:
        return None
    return Said("alerts.refused.token_sender", sender=cap_sender, owner=owner_words(owner))


def reference_refusal(*, status: str, actor: str, original: Original) -> Said | None:
    """Why a document of `status` from `actor` may not reference `original`; None if it may."""
    owner, original_owner = owner_of(actor), owner_of(original.created_by)
    if owner != original_owner:
        return Said("alerts.refused.not_owner", id=original.id, owner=owner_words(original_owner))
    if STATUS_RANK.get(status, 0) < STATUS_RANK.get(original.status, 0):
        return Said(
            "alerts.refused.weaker_status", id=original.id, original=original.status, status=status
        )
    return None
