"""What a member of staff may do. A person may hold several roles; none implies another."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a member of staff may do; every console route names the roles it allows."""

    ADMIN = "admin"
    """Users and roles, the registration list, the running settings, the audit log."""
    DISPATCHER = "dispatcher"
    """Composes and sends alerts, follows them, works the help inbox."""
    APPROVER = "approver"
    """The second person who approves an Actual alert before it is sent."""
    COORDINATOR = "coordinator"
    """Confirms, declines and completes service bookings."""


def parse_roles(text: str) -> frozenset[Role]:
    """Roles from "dispatcher,approver"; raises ValueError naming an unknown one."""
    roles: set[Role] = set()
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            known = ", ".join(role.value for role in Role)
            raise ValueError(f"unknown role {name!r}; roles are {known}") from None
    if not roles:
        raise ValueError("at least one role is needed")
    return frozenset(roles)
