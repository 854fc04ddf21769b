"""What the dispatcher sees after an answer, and whether it keeps the contract's row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from alerts import help_requests
from alerts.models import AlertRecipient
from console.recipient_list import RecipientFilter, recipient_page
from core.models import HandoverRequest
from core.profile import Language
from sandbox.sim_user import button_texts, message_text
from tests.safety.cases import Case, Expect
from tests.safety.world import Someone, World

QUESTION = "alerts.ask_safe"
"""The bot's "Are you safe? 1 yes / 2 I need help" question."""
VIA = {"text": {"message"}, "voice": {"message", "voice"}, "sms": {"sms"}}
"""How the dispatcher's list may say the answer came, per way of answering."""


@dataclass
class Seen:
    """The warning's row on the dispatcher's screen and the help inbox, after one answer."""

    how: str
    answer: str | None
    via: str | None
    shown_as: str
    """The answer in the console's recipient list."""
    follow_ups_stopped: bool
    inbox: list[help_requests.HelpRequest]
    """Requests in the help inbox linked to this warning."""
    unlinked: int
    """This person's calls for help in the inbox that are not linked to the warning."""
    said: list[str]
    """What the bot (or an SMS) said back."""
    asked: bool
    """Whether that included the "Are you safe? 1 yes / 2 I need help" question."""

    def __str__(self) -> str:
        return (
            f"by {self.how}: answer={self.answer!r} via={self.via!r} shown as "
            f"{self.shown_as!r}, follow-ups {'stopped' if self.follow_ups_stopped else 'running'},"
            f" {len(self.inbox)} linked help request(s), {self.unlinked} unlinked, "
            f"asked are-you-safe={self.asked}; said {self.said!r}"
        )


def asks_if_safe(messages: list[dict[str, Any]], question: str) -> bool:
    """Whether the bot asked the question, with its two buttons (or sent it by SMS)."""
    for message in messages:
        if "message_id" not in message:  # an SMS
            if question in str(message.get("text")):
                return True
        elif message_text(message) == question and len(button_texts(message)) == 2:
            return True
    return False


async def dispatcher_view(
    world: World, someone: Someone, alert_id: int, how: str, said: list[dict[str, Any]]
) -> Seen:
    async with world.sessions() as session:
        page = await recipient_page(session, alert_id, RecipientFilter(), 1)
        (row,) = page.rows
        recipient = await session.scalar(
            select(AlertRecipient).where(AlertRecipient.alert_id == alert_id)
        )
        assert recipient is not None
        inbox = [r for r in await help_requests.list_requests(session) if r.alert_id == alert_id]
        mine = select(HandoverRequest).where(
            HandoverRequest.kind == "emergency", HandoverRequest.alert_id.is_(None)
        )
        if someone.user is not None:
            person = await world.dialogue.services.people.find(session, someone.user.user_id)
            assert person is not None
            mine = mine.where(HandoverRequest.person_id == person.id)
        else:
            mine = mine.where(HandoverRequest.registrant_id == someone.registrant_id)
        unlinked = len((await session.scalars(mine)).all())
    return Seen(
        how=how,
        answer=row.answer,
        via=row.answered_via,
        shown_as=row.answer_words,
        follow_ups_stopped=recipient.next_step_at is None,
        inbox=inbox,
        unlinked=unlinked,
        said=[message_text(m) if "message_id" in m else str(m.get("text")) for m in said],
        asked=asks_if_safe(said, world.catalogs.text(Language(someone.language), QUESTION)),
    )


def broken(case: Case, seen: Seen) -> list[str]:
    """How the dispatcher's view breaks the row's contract (nothing when it keeps it)."""
    problems = []
    if seen.answer == "safe" and case.expect is not Expect.SAFE:
        return ["A PERSON WHO IS NOT SAFE IS SHOWN AS SAFE"]
    if seen.answer is not None and seen.via not in VIA[seen.how]:
        problems.append(f"answered via {seen.via!r}, expected one of {sorted(VIA[seen.how])}")
    wanted = case.expect
    if wanted is Expect.HELP_OR_UNCLEAR and seen.answer != "unclear":
        wanted = Expect.HELP
    if wanted is Expect.SAFE:
        if seen.answer != "safe" or seen.shown_as != "I'm safe":
            problems.append("not recorded as safe")
        if not seen.follow_ups_stopped:
            problems.append("follow-ups still running")
        if seen.inbox or seen.unlinked:
            problems.append("a call for help was opened")
    elif wanted is Expect.HELP:
        if seen.answer != "help" or seen.shown_as != "I need help":
            problems.append("not recorded as needing help")
        if len(seen.inbox) != 1 or seen.inbox[0].status != "open":
            problems.append("not exactly one open call for help linked to the warning")
        if seen.unlinked:
            problems.append("a call for help not linked to the warning")
    else:  # "unclear": ask, and keep the follow-ups running until they answer
        if seen.follow_ups_stopped:
            problems.append("unclear, yet the follow-ups stopped")
        # By SMS the question is the warning's "reply 1 or 2", which the follow-ups send again.
        if not seen.asked and seen.how != "sms":
            problems.append("unclear, yet the are-you-safe question was not asked")
    return problems
