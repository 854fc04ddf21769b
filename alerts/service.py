"""Alerts as the console and the command line see them: receive, approve, follow.

Receiving stores a validated CAP document; approving hands it to the fan-out. Who may approve
what (the two-person rule) is the caller's decision; this records who did it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts import authority
from alerts.cap.clean import shown_texts_cleaned
from alerts.cap.codec import from_dict, to_dict
from alerts.cap.export import to_xml
from alerts.cap.model import CapAlert, Severity
from alerts.cap.parse import parse
from alerts.fanout.engine import Fanout
from alerts.fanout.escalation import NO_ANSWER_STEP
from alerts.fanout.ledger import counts
from alerts.models import Alert, AlertRecipient, AlertState
from alerts.targeting import Audience, Preview, preview, test_group_only
from core import audit
from core.clock import Clock
from core.said import Said
from core.staff.models import ApiSender, ApiSenderIdentity

_SEVERITY_ORDER = [s.value for s in Severity]


class AlertRefused(Exception):
    """An alert that cannot be taken or sent; `reason` is for the person who tried.

    `forbidden` when the one who tried has no authority for it (another sender's name or
    alert), rather than the document being wrong.
    """

    def __init__(self, reason: str, *, forbidden: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.forbidden = forbidden


@dataclass(frozen=True)
class AlertStatus:
    """Where an alert's sending stands: its state, recipients, deliveries by channel and state,
    and the answers so far (`komek alerts status`, the API)."""

    alert_id: int
    identifier: str
    state: str
    msg_type: str
    status: str
    recipients: int
    deliveries: dict[str, dict[str, int]]
    """By channel, then by state (queued, sending, sent, delivered, failed, expired)."""
    safe: int
    need_help: int
    unclear: int
    """Answered in words that did not say; asked again, follow-ups still running."""
    no_answer: int
    """Escalation ran out without an answer."""
    waiting: int
    """Not answered yet."""


def highest_severity(cap: CapAlert) -> str:
    """The most severe of the alert's CAP severities; Unknown when none is given."""
    severities = [info.severity for info in cap.infos if info.severity in _SEVERITY_ORDER]
    if not severities:
        return Severity.UNKNOWN.value
    return min(severities, key=_SEVERITY_ORDER.index)


async def _awaiting_approval(session: AsyncSession, alert_id: int) -> Alert:
    """The alert, locked for the decision; AlertRefused unless it awaits approval."""
    alert = await session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        raise AlertRefused(Said("alerts.refused.no_alert", id=alert_id))
    if alert.state != AlertState.AWAITING_APPROVAL:
        raise AlertRefused(Said("alerts.refused.not_awaiting", id=alert_id, state=alert.state))
    return alert


async def _check_references(session: AsyncSession, alert: Alert) -> None:
    """AlertRefused unless every alert it refers to is its owner's, with a status as weak or
    weaker (checked on receipt; again here, for alerts stored before the rule)."""
    for original_id in alert.references:
        original = await session.get(Alert, original_id)
        if original is None:
            continue
        refused = authority.reference_refusal(
            status=alert.status,
            actor=alert.created_by,
            original=authority.Original(original.id, original.status, original.created_by),
        )
        if refused is not None:
            raise AlertRefused(refused, forbidden=True)


class AlertService:
    """An alert's life for staff and API senders: receive or store a CAP document (the sender's
    authority checked), approve it (a second person) or reject it, preview and follow it.
    Approval hands the alert to the fan-out; SMS queued outside a plan go out by `hand_out`."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, fanout: Fanout
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._fanout = fanout

    async def receive(
        self,
        document: bytes,
        *,
        actor: str,
        exercise: bool = False,
        audience: Audience | None = None,
        origin: str | None = None,
    ) -> Alert:
        """Validate and store a CAP document; raises CapError or AlertRefused with the reason."""
        cap = parse(document)
        if exercise and cap.status != "Exercise":
            cap = dataclasses.replace(cap, status="Exercise")
            document = to_xml(cap)
        return await self.store(cap, document, actor=actor, audience=audience, origin=origin)

    async def store(
        self,
        cap: CapAlert,
        document: bytes | None = None,
        *,
        actor: str,
        audience: Audience | None = None,
        origin: str | None = None,
    ) -> Alert:
        """Store an alert (composed here, or parsed) awaiting approval."""
        cap = shown_texts_cleaned(cap)
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            await self._check_authority(session, cap, actor)
            existing = await session.scalar(
                select(Alert.id).where(
                    Alert.sender == cap.sender, Alert.identifier == cap.identifier
                )
            )
            if existing is not None:
                raise AlertRefused(
                    Said(
                        "alerts.refused.already_here", identifier=cap.identifier, sender=cap.sender
                    )
                )
            references = await self._resolve(session, cap)
            if cap.msg_type == "Cancel" and not references:
                raise AlertRefused(Said("alerts.refused.cancels_unknown"))
            audience = audience or Audience()
            alert = Alert(
                identifier=cap.identifier,
                sender=cap.sender,
                sent=cap.sent,
                status=cap.status,
                msg_type=cap.msg_type,
                severity=highest_severity(cap),
                document=to_dict(cap),
                cap_xml=(document or to_xml(cap)).decode("utf-8", errors="replace"),
                references=references,
                audience=audience.as_json(),
                state=AlertState.AWAITING_APPROVAL,
                created_by=actor,
                created_at=now,
            )
            session.add(alert)
            await session.flush()
            audit.record(
                session,
                at=now,
                actor=actor,
                action="alert.received",
                subject=f"alert:{alert.id}",
                origin=origin,
                msg_type=cap.msg_type,
                status=cap.status,
            )
        return alert

    async def hand_out(self, batches: Iterable[tuple[int, int]]) -> None:
        """Hand ledger batches queued outside an alert's plan (a dispatcher's SMS) to a worker,
        once the transaction that queued them is committed."""
        for alert_id, batch in batches:
            await self._fanout.dispatch(alert_id, batch)

    async def approve(self, alert_id: int, *, actor: str, origin: str | None = None) -> None:
        """Send an alert that awaits approval."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            alert = await _awaiting_approval(session, alert_id)
            await _check_references(session, alert)
            alert.state = AlertState.SENDING
            alert.approved_by = actor
            alert.approved_at = now
            audit.record(
                session,
                at=now,
                actor=actor,
                action="alert.approved",
                subject=f"alert:{alert_id}",
                origin=origin,
            )
        await self._fanout.start(alert_id)

    async def reject(
        self, alert_id: int, *, actor: str, reason: str, origin: str | None = None
    ) -> None:
        """Refuse an alert that awaits approval: it is never sent. `reason` is for the staff."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            alert = await _awaiting_approval(session, alert_id)
            alert.state = AlertState.REJECTED
            alert.rejected_by = actor
            alert.rejected_at = now
            alert.rejection_reason = reason[:500]
            audit.record(
                session,
                at=now,
                actor=actor,
                action="alert.rejected",
                subject=f"alert:{alert_id}",
                origin=origin,
            )

    async def preview(self, alert_id: int) -> Preview:
        """How many people the alert will reach, by channel."""
        async with self._sessions() as session:
            alert = await session.get(Alert, alert_id)
            if alert is None:
                raise AlertRefused(Said("alerts.refused.no_alert", id=alert_id))
            cap = from_dict(alert.document)
            audience = Audience.from_json(alert.audience)
            return await preview(session, cap, audience, test_group_only=test_group_only(cap))

    async def status(
        self, alert_id: int, *, sessions: async_sessionmaker[AsyncSession] | None = None
    ) -> AlertStatus:
        """The figures of an alert; `sessions` to read them on other connections (the
        console's live progress reads beside the fan-out's writes)."""
        async with (sessions or self._sessions)() as session:
            alert = await session.get(Alert, alert_id)
            if alert is None:
                raise AlertRefused(Said("alerts.refused.no_alert", id=alert_id))
            grouped = await session.execute(
                select(AlertRecipient.answer, func.count())
                .where(AlertRecipient.alert_id == alert_id)
                .group_by(AlertRecipient.answer)
            )
            answers: dict[str | None, int] = {row[0]: row[1] for row in grouped}
            no_answer = await session.scalar(
                select(func.count()).where(
                    AlertRecipient.alert_id == alert_id,
                    AlertRecipient.answer.is_(None),
                    AlertRecipient.escalation_step >= NO_ANSWER_STEP,
                )
            )
            recipients = sum(answers.values())
            return AlertStatus(
                alert_id=alert.id,
                identifier=alert.identifier,
                state=alert.state,
                msg_type=alert.msg_type,
                status=alert.status,
                recipients=recipients,
                deliveries=await counts(session, alert_id),
                safe=answers.get("safe", 0),
                need_help=answers.get("help", 0),
                unclear=answers.get("unclear", 0),
                no_answer=no_answer or 0,
                waiting=answers.get(None, 0) - (no_answer or 0),
            )

    async def _check_authority(self, session: AsyncSession, cap: CapAlert, actor: str) -> None:
        """AlertRefused (forbidden) unless `actor` may speak as the document's CAP sender
        and owns every stored alert it references, with a status at least as strong."""
        registered = await session.scalar(
            select(ApiSender.name)
            .join(ApiSenderIdentity, ApiSenderIdentity.sender_id == ApiSender.id)
            .where(ApiSenderIdentity.cap_sender == cap.sender)
        )
        owner = f"sender:{registered}" if registered is not None else None
        refused = authority.identity_refusal(cap.sender, owner, actor)
        if refused is not None:
            raise AlertRefused(refused, forbidden=True)
        for reference in cap.references:
            found = await session.scalar(
                select(Alert).where(
                    Alert.sender == reference.sender, Alert.identifier == reference.identifier
                )
            )
            if found is None:
                continue
            original = authority.Original(found.id, found.status, found.created_by)
            refused = authority.reference_refusal(status=cap.status, actor=actor, original=original)
            if refused is not None:
                raise AlertRefused(refused, forbidden=True)

    async def _resolve(self, session: AsyncSession, cap: CapAlert) -> list[int]:
        """Ids of the stored alerts the document references (sender and identifier)."""
        ids: list[int] = []
        for reference in cap.references:
            found = await session.scalar(
                select(Alert.id).where(
                    Alert.sender == reference.sender, Alert.identifier == reference.identifier
                )
            )
            if found is not None:
                ids.append(found)
        return ids
