"""Who may approve an alert for sending: the two-person rule.

An Actual alert is approved by somebody with the approver role; with the two-person rule on
(`settings.console_two_person_rule`), never by the person who composed it. An Exercise or a
Test reaches only the test group, so a dispatcher may send one they composed themselves.
"""

from __future__ import annotations

from collections.abc import Collection

from core.said import Said
from core.staff.roles import Role

NEEDS_APPROVER = Said("alerts.approval.needs_approver")
NOT_YOUR_OWN = Said("alerts.approval.not_your_own")
NOT_ALLOWED = Said("alerts.approval.not_allowed")


def approval_refusal(
    *,
    status: str,
    created_by: str,
    actor: str,
    roles: Collection[Role],
    two_person_rule: bool,
) -> Said | None:
    """Why `actor` may not approve the alert, in words; None when they may."""
    if status == "Actual":
        if Role.APPROVER not in roles:
            return NEEDS_APPROVER
        if two_person_rule and actor == created_by:
            return NOT_YOUR_OWN
        return None
    if Role.APPROVER in roles or Role.DISPATCHER in roles:
        return None
    return NOT_ALLOWED
