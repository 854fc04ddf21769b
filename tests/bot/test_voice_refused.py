"""A person whose Telegram refuses voice notes gets the same words as text (issue 17, finding 1)."""

from __future__ import annotations

from sqlalchemy import select

from core.database import SessionFactory
from core.models import Person
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.bot.test_voice import onboarded


async def test_a_refused_voice_answer_arrives_as_text_and_the_next_goes_as_text_at_once(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "3", "2")  # English, answers by voice
    await telegram.set_faults(user.user_id, voice_forbidden=True)

    await user.send_text("where can I get a wheelchair")
    (answer,) = await user.wait_for_bot_messages(1, timeout=60)
    assert not answer.get("voice")
    assert "rehab plan" in message_text(answer)

    async with sessions() as session:
        refused_at = await session.scalar(
            select(Person.voice_refused_at).where(Person.telegram_id == user.user_id)
        )
    assert refused_at is not None, "the refusal is remembered for this person"

    # Telegram would refuse again; the bot no longer tries: text at once, nothing lost.
    await telegram.set_faults(user.user_id, voice_forbidden=False)
    await user.send_text("repeat")
    (again,) = await user.wait_for_bot_messages(1, timeout=60)
    assert not again.get("voice")
    assert message_text(again) == message_text(answer)
