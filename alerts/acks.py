"""Answers to alerts: "I'm safe", "I need help" or unclear, by button, words or SMS.

An answer belongs to the alert the person most recently received, the one named by the
button they pressed, or, for an SMS, the open alerts whose SMS reached that phone
(`alerts.fanout.reply_target`). "Safe" and "help" stop that alert's escalation for them;
"unclear" (words that did not say) does not. "I need help" also opens a request in the
dispatchers' help inbox — the same inbox as the bot's calls for help — with the last place
we know for them. What words mean is the NLU's safety judgement, passed in as `interpret`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.fanout.reply_target import alerts_a_reply_answers
from alerts.models import AlertRecipient, Answer, Registrant
from core import audit, help_thread
from core.clock import Clock
from core.encryption import lookup_values
from core.models import HandoverRequest
from core.text import fold

SMS_REPLY = "sms"
"""`answered_via` of an answer given by SMS reply."""
ANSWER_WINDOW = timedelta(hours=48)
"""An answer refers to an alert received at most this long ago."""

_SMS_ANSWERS = {
    "1": Answer.SAFE,
    "2": Answer.HELP,
}


def sms_answer(text: str) -> Answer | None:
    """The answer an SMS reply gives: "1" safe, "2" help (also "1." or " 2 "), else None."""
    words = fold(text).split()
    return _SMS_ANSWERS.get(words[0]) if len(words) == 1 else None


Interpret = Callable[[str], str]
"""What a reply in words means: "safe", "help" or "unclear" (the NLU's safety judgement,
given by the process that wires the alert system)."""


@dataclass(frozen=True)
class Answered:
    """What one answer did: the recipient row it set, the help request it opened or linked (for
    "help"), and the answer itself."""

    recipient: AlertRecipient
    help_request: HandoverRequest | None
    answer: Answer
    """The answer this time (an unclear one leaves a clear answer given before as it was)."""


class Acks:
    """Records answers to alerts; `interpret` reads SMS replies in words ("1"/"2" always work)."""

    def __init__(self, clock: Clock, interpret: Interpret | None = None) -> None:
        self._clock = clock
        self._interpret = interpret

    async def open_alert(self, session: AsyncSession, registrant: Registrant) -> int | None:
        """The alert the registrant should still answer: received recently, not yet answered
        in a way that says whether they are safe."""
        recipient = await self._latest(session, registrant, None)
        if recipient is None or recipient.created_at < self._clock.now() - ANSWER_WINDOW:
            return None
        if recipient.answer not in (None, Answer.UNCLEAR.value):
            return None
        return recipient.alert_id

    async def _latest(
        self, session: AsyncSession, registrant: Registrant, alert_id: int | None
    ) -> AlertRecipient | None:
        query = select(AlertRecipient).where(AlertRecipient.registrant_id == registrant.id)
        if alert_id is not None:
            query = query.where(AlertRecipient.alert_id == alert_id)
        return await session.scalar(query.order_by(AlertRecipient.id.desc()).limit(1))

    async def answer(
        self,
        session: AsyncSession,
        registrant: Registrant,
        answer: Answer,
        *,
        via: str,
        alert_id: int | None = None,
        help_request: HandoverRequest | None = None,
        at: datetime | None = None,
    ) -> Answered | None:
        """Record the answer; None when the registrant has no recent alert to answer.

        `help_request` is a call for help already in the inbox (the bot opens one for "I need
        help"): it is linked to the alert instead of a second request being opened. `at` is
        the moment of the reply (now by default): one SMS that answers several alerts gives
        them all the same moment, which is how the console tells they were one reply.
        """
        now = self._clock.now() if at is None else at
        recipient = await self._latest(session, registrant, alert_id)
        if recipient is None:
            return None
        if alert_id is None and recipient.created_at < now - ANSWER_WINDOW:
            return None
        if answer is Answer.UNCLEAR:
            # Asked again; a clear answer already given stands, and the follow-ups go on.
            if recipient.answer is None:
                recipient.answer = answer.value
                recipient.answered_at = now
                recipient.answered_via = via
                await session.flush()
            return Answered(recipient, None, answer)
        recipient.answer = answer.value
        recipient.answered_at = now
        recipient.answered_via = via
        recipient.next_step_at = None
        if answer is Answer.HELP and help_request is not None:
            help_request.alert_id = recipient.alert_id
            help_request.registrant_id = registrant.id
            if help_request.latitude is None and help_request.longitude is None:
                help_request.latitude = registrant.latitude
                help_request.longitude = registrant.longitude
        elif answer is Answer.HELP:
            help_request = HandoverRequest(
                person_id=registrant.person_id,
                language=registrant.language,
                kind="emergency",
                danger="alert",
                alert_id=recipient.alert_id,
                registrant_id=registrant.id,
                latitude=registrant.latitude,
                longitude=registrant.longitude,
                created_at=now,
            )
            session.add(help_request)
        else:
            help_request = None
        await session.flush()
        return Answered(recipient, help_request, answer)

    async def answer_by_phone(
        self, session: AsyncSession, phone: str, text: str
    ) -> Answered | None:
        """An SMS reply from a phone: "1", "2" or words answer that person's latest alert.

        Words go through the same safety judgement as the bot's: "safe" only when clearly
        said; a reply that says nothing clear is recorded as unclear (follow-ups go on).
        """
        registrant = await _by_phone(session, phone)
        if registrant is None:
            return None
        answer = sms_answer(text)
        if answer is None and self._interpret is not None and text.strip():
            answer = Answer(self._interpret(text))
        talking = await help_thread.talking_with_registrant(session, registrant.id)
        if talking is not None:  # a dispatcher is writing with them: the reply is for them
            self._to_thread(session, talking, registrant, text)
            if answer is not Answer.HELP:
                return None
        if answer is None:
            return None
        # Which alerts: those this phone was sent (`reply_target`); the answer is the judge's.
        now = self._clock.now()
        alert_ids = await alerts_a_reply_answers(
            session, registrant.id, now=now, window=ANSWER_WINDOW, answer=answer
        )
        answered: Answered | None = None
        help_request: HandoverRequest | None = talking
        for alert_id in alert_ids:  # one help request, linked last to the latest alert
            answered = await self.answer(
                session,
                registrant,
                answer,
                via=SMS_REPLY,
                alert_id=alert_id,
                help_request=help_request,
                at=now,
            )
            if answered is not None and answered.help_request is not None:
                help_request = answered.help_request
        if answer is Answer.HELP and not alert_ids and talking is None:
            return await self._help_again(session, registrant, text, now)
        if help_request is not None and talking is None:
            self._to_thread(session, help_request, registrant, text)
        return answered

    async def _help_again(
        self, session: AsyncSession, registrant: Registrant, text: str, now: datetime
    ) -> Answered | None:
        """A call for help by SMS when every recent alert is answered "help" already: it is never
        dropped. It joins their request nobody has taken yet, or opens a new one, with the
        words in its thread ("2" alone included), linked to their latest alert."""
        request = await session.scalar(
            select(HandoverRequest)
            .where(HandoverRequest.registrant_id == registrant.id, HandoverRequest.status == "open")
            .order_by(HandoverRequest.id.desc())
            .limit(1)
        )
        recipient = await self._latest(session, registrant, None)
        if request is None:
            request = HandoverRequest(
                person_id=registrant.person_id,
                language=registrant.language,
                kind="emergency",
                danger="alert",
                alert_id=recipient.alert_id if recipient is not None else None,
                registrant_id=registrant.id,
                latitude=registrant.latitude,
                longitude=registrant.longitude,
                created_at=now,
            )
            session.add(request)
            await session.flush()
        _sms_to_thread(session, request, registrant, text, now)
        return None if recipient is None else Answered(recipient, request, Answer.HELP)

    async def stop_talking_by_phone(
        self, session: AsyncSession, phone: str, text: str
    ) -> HandoverRequest | None:
        """ "STOP" by SMS from somebody a dispatcher talks with: the conversation ends (the
        request stays with the dispatcher). The request, or None when the SMS is not that."""
        if not help_thread.ends_talk(text):
            return None
        registrant = await _by_phone(session, phone)
        if registrant is None:
            return None
        talking = await help_thread.talking_with_registrant(session, registrant.id)
        if talking is None:
            return None
        self._to_thread(session, talking, registrant, text)
        talking.talking = False
        audit.record(
            session,
            at=self._clock.now(),
            actor=f"registrant:{registrant.id}",
            action="help.talk_ended",
            subject=f"handover:{talking.id}",
        )
        return talking

    def _to_thread(
        self,
        session: AsyncSession,
        request: HandoverRequest,
        registrant: Registrant,
        text: str,
    ) -> None:
        """The SMS in the person's own words, for the dispatcher (never "1" or "2" alone)."""
        if sms_answer(text) is not None and request.talking is False:
            return
        _sms_to_thread(session, request, registrant, text, self._clock.now())

    async def answer_by_person(
        self,
        session: AsyncSession,
        person_id: int,
        answer: Answer,
        *,
        via: str,
        alert_id: int | None = None,
        help_request: HandoverRequest | None = None,
    ) -> Answered | None:
        """A bot user's answer (button, words or voice); None if they are not on the list."""
        registrant = await session.scalar(
            select(Registrant).where(Registrant.person_id == person_id)
        )
        if registrant is None:
            return None
        return await self.answer(
            session, registrant, answer, via=via, alert_id=alert_id, help_request=help_request
        )


async def _by_phone(session: AsyncSession, phone: str) -> Registrant | None:
    """The list entry with this phone (compared by its blind index)."""
    query = select(Registrant).where(Registrant.phone_hash.in_(lookup_values(phone))).limit(1)
    return await session.scalar(query)


def _sms_to_thread(
    session: AsyncSession,
    request: HandoverRequest,
    registrant: Registrant,
    text: str,
    at: datetime,
) -> None:
    """An SMS from somebody on the list, in their own words, in the request's thread."""
    help_thread.add(
        session,
        request,
        sender=help_thread.PERSON,
        channel="sms",
        text=text,
        at=at,
        actor=f"registrant:{registrant.id}",
    )
