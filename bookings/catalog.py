"""The service catalog, read from catalog.yml: services, units, limits and eligibility rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bookings.errors import UnknownService

CATALOG_FILE = Path(__file__).with_name("catalog.yml")


@dataclass(frozen=True, slots=True)
class Rule:
    """One eligibility rule; which fields matter depends on `rule`."""

    rule: str
    kinds: tuple[str, ...] = ()
    groups: tuple[int, ...] = ()
    reason: str | None = None
    instead: str | None = None
    ask: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """A bookable service: a slot by the hour or trip, or a request without a slot."""

    id: str
    kind: str
    name: str
    about: str
    unit: str | None = None
    min_hours: int = 0
    max_hours: int = 0
    yearly_quota_hours: int | None = None
    destinations: tuple[str, ...] = ()
    comes_to_person: bool = False
    """The service comes to the person: the booking asks where (an address)."""
    eligibility: tuple[Rule, ...] = field(default=())

    @property
    def has_slots(self) -> bool:
        """Whether the service is booked at a time in a provider's slots (else it is a request)."""
        return self.kind == "slot"


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every service, in the order the menu shows them, and the cancellation cutoff."""

    services: tuple[Service, ...]
    cancel_cutoff_minutes: int

    def get(self, service_id: str) -> Service:
        """The service, or UnknownService."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise UnknownService(service_id)

    def keys(self) -> set[str]:
        """Every i18n key the catalog refers to."""
        found: set[str] = set()
        for service in self.services:
            found |= {service.name, service.about}
            found |= {f"booking.destination.{kind}" for kind in service.destinations}
            for rule in service.eligibility:
                found |= {key for key in (rule.reason, rule.instead, rule.ask) if key}
        return found


def _rule(raw: dict[str, Any]) -> Rule:
    return Rule(
        rule=str(raw["rule"]),
        kinds=tuple(str(kind) for kind in raw.get("kinds", ())),
        groups=tuple(int(group) for group in raw.get("groups", ())),
        reason=raw.get("reason"),
        instead=raw.get("instead"),
        ask=raw.get("ask"),
    )


def _service(raw: dict[str, Any]) -> Service:
    quota = raw.get("yearly_quota_hours")
    return Service(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        name=str(raw["name"]),
        about=str(raw["about"]),
        unit=raw.get("unit"),
        min_hours=int(raw.get("min_hours", 0)),
        max_hours=int(raw.get("max_hours", 0)),
        yearly_quota_hours=None if quota is None else int(quota),
        destinations=tuple(str(kind) for kind in raw.get("destinations", ())),
        comes_to_person=bool(raw.get("comes_to_person", False)),
        eligibility=tuple(_rule(rule) for rule in raw.get("eligibility", ())),
    )


def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    """Read and check the catalog file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    services = tuple(_service(item) for item in raw["services"])
    for service in services:
        if service.kind not in {"slot", "request"}:
            raise ValueError(f"{service.id}: kind must be slot or request")
        if service.has_slots and not 1 <= service.min_hours <= service.max_hours:
            raise ValueError(f"{service.id}: needs 1 <= min_hours <= max_hours")
        if service.comes_to_person and service.destinations:
            raise ValueError(f"{service.id}: a service with destinations cannot come to the person")
    return Catalog(services=services, cancel_cutoff_minutes=int(raw["cancel_cutoff_minutes"]))
