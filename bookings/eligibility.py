"""Eligibility: the catalog's rules applied to a person's declared disability kinds and group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bookings.catalog import Rule, Service
from bookings.errors import NeedsInformation, NotEligible


class Verdict(StrEnum):
    """Whether a person may book a service, may not, or must tell us more first."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_INFORMATION = "needs_information"


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The verdict and, when not eligible, i18n keys for why, what to do, or what to ask."""

    service: str
    verdict: Verdict
    reason: str | None = None
    instead: str | None = None
    ask: str | None = None

    @property
    def eligible(self) -> bool:
        """Whether the person may book the service."""
        return self.verdict is Verdict.ELIGIBLE

    def require(self) -> None:
        """Raise NotEligible or NeedsInformation unless eligible."""
        if self.verdict is Verdict.NOT_ELIGIBLE:
            raise NotEligible(reason=self.reason or "", instead=self.instead or "")
        if self.verdict is Verdict.NEEDS_INFORMATION:
            raise NeedsInformation(question=self.ask or "")


def _check(rule: Rule, kinds: Sequence[str], group: int | None) -> Verdict:
    if rule.rule == "kinds_declared":
        return Verdict.ELIGIBLE if kinds else Verdict.NEEDS_INFORMATION
    if rule.rule == "kinds_any":
        return Verdict.ELIGIBLE if set(rule.kinds) & set(kinds) else Verdict.NOT_ELIGIBLE
    if rule.rule == "group_in":
        if group is None:
            return Verdict.NEEDS_INFORMATION
        return Verdict.ELIGIBLE if group in rule.groups else Verdict.NOT_ELIGIBLE
    raise ValueError(f"unknown eligibility rule {rule.rule!r}")


def check(service: Service, kinds: Sequence[str], group: int | None = None) -> Eligibility:
    """The first rule that fails decides; with none failing the person is eligible."""
    for rule in service.eligibility:
        verdict = _check(rule, kinds, group)
        if verdict is Verdict.NOT_ELIGIBLE:
            return Eligibility(service.id, verdict, reason=rule.reason, instead=rule.instead)
        if verdict is Verdict.NEEDS_INFORMATION:
            return Eligibility(service.id, verdict, ask=rule.ask)
    return Eligibility(service.id, Verdict.ELIGIBLE)
