"""A flood of messages never drops an emergency (issue 15's acceptance).

The flood guard has the production limit (8 messages in 10 s). The injected clock does not
move, so twenty messages and the emergency after them all fall in one window: the guard has
told the person to slow down and is dropping their messages when the emergency comes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from content.articles import KnowledgeBase
from core.models import HandoverRequest
from core.profile import Language
from sandbox.sim_user import SimUser, message_text
from tests.safety.world import World, next_messages

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHATTER = {
    "ru": ["алло", "вы тут?", "ау", "ответьте", "эй"],
    "kk": ["сәлем", "бар ма екенсіз?", "жауап беріңізші", "алло", "эй"],
    "en": ["hello", "anyone there?", "hey", "answer me", "hello??"],
}


async def shows(user: SimUser, since: int, texts: set[str]) -> bool:
    """Whether the bot's messages after the first `since` come to include one of `texts`."""
    try:
        while not any(message_text(m) in texts for m in user.bot_messages[since:]):
            await next_messages(user, len(user.bot_messages))
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize(
    ("language", "emergency"),
    [
        ("ru", "пожар"),
        ("kk", "үйде өрт шықты"),
        ("en", "FIRE! help, my flat is burning"),
    ],
)
async def test_twenty_messages_then_a_fire_gets_the_fire_answer_and_reaches_the_inbox(
    world: World, knowledge: KnowledgeBase, language: str, emergency: str
) -> None:
    assert world.settings.flood_messages < 20, "the guard must be on for this to mean anything"
    someone = await world.bot_user(language)
    user = someone.user
    assert user is not None
    for number in range(20):
        await user.send_text(CHATTER[language][number % len(CHATTER[language])])
    # The reply follows the language of the latest message, and "ау" reads as Kazakh.
    slow_down = {world.catalogs.text(lang, "flood.slow_down") for lang in Language}
    assert await shows(user, 0, slow_down), "the flood guard never told them to slow down"
    since = len(user.bot_messages)

    await user.send_text(emergency)
    fire = knowledge.by_id("emergency_fire").short(Language(language))
    assert await shows(user, since, {fire}), f"{emergency!r} after a flood got no fire answer"
    async with world.sessions() as session:
        person = await world.dialogue.services.people.find(session, user.user_id)
        assert person is not None
        requests = (
            await session.scalars(
                select(HandoverRequest).where(
                    HandoverRequest.person_id == person.id, HandoverRequest.kind == "emergency"
                )
            )
        ).all()
    # ("answer me" may also have asked for a person: that is a request of another kind)
    assert [(r.danger, r.status) for r in requests] == [("fire", "open")]
