"""End to end through the sandbox: questions get grounded answers; danger comes first."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from bot.dialogue.features.answers import sources_text
from bot.dialogue.features.understanding import CLARIFY_OPTIONS, NOT_OFFERED
from content.articles import KnowledgeBase
from core.database import SessionFactory
from core.i18n import Catalogs
from core.models import HandoverRequest
from core.profile import Language
from nlu.pipeline import NLU
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text

VAGUE_CANDIDATES = [
    "what do i get",
    "tell me about help",
    "documents",
    "i have a question",
    "something with the office",
    "about the papers",
    "the office thing",
]


async def onboarded(telegram: SandboxClient, language_number: str) -> SimUser:
    user = await telegram.add_user("Zhanna")
    for text, replies in (("/start", 1), (language_number, 1), ("1", 2)):
        await user.send_text(text)
        await user.wait_for_bot_messages(replies, timeout=60)
    await user.press(button_texts(user.bot_messages[-1])[-1])  # done: no disability kinds given
    await user.wait_for_bot_messages(2, timeout=60)
    await user.press(button_texts(user.bot_messages[-1])[-1])  # skip: no region given
    await user.wait_for_bot_messages(2, timeout=60)
    return user


async def ask(user: SimUser, text: str, n: int = 1) -> list[dict[str, Any]]:
    await user.send_text(text)
    return await user.wait_for_bot_messages(n, timeout=60)


@pytest.mark.parametrize(
    ("number", "question", "language", "article"),
    [
        (
            "1",
            "ымдау тілі аудармашысы жылына неше сағат беріледі",
            Language.KK,
            "sign_interpreter_info",
        ),
        ("2", "как заказать социальное такси и куда оно возит", Language.RU, "social_taxi_info"),
        (
            "3",
            "how many hours of sign language interpreting do i get a year",
            Language.EN,
            "sign_interpreter_info",
        ),
    ],
)
async def test_a_question_gets_the_article_then_more_and_source(
    telegram: SandboxClient,
    knowledge: KnowledgeBase,
    number: str,
    question: str,
    language: Language,
    article: str,
) -> None:
    user = await onboarded(telegram, number)
    expected = knowledge.by_id(article)
    (answer,) = await ask(user, question)
    assert message_text(answer) == expected.short(language)
    assert len(button_texts(answer)) == 2
    (details,) = await ask(user, "1")
    assert message_text(details) == " ".join(expected.details(language))
    (source,) = await ask(user, "1")
    plain = sources_text(partial(Catalogs.load().text, language), expected.sources)
    assert plain in message_text(source)
    assert "¶" not in message_text(source)


async def test_a_vague_question_gets_a_numbered_choice(
    telegram: SandboxClient, nlu: NLU, knowledge: KnowledgeBase
) -> None:
    def offered(text: str) -> list[str]:
        """The topics the bot offers for `text`, as its clarifying menu chooses them."""
        ranking = nlu.parse(text, Language.EN).ranking
        return [r.intent for r in ranking if r.intent not in NOT_OFFERED][:CLARIFY_OPTIONS]

    vague = next(
        (
            text
            for text in VAGUE_CANDIDATES
            if not nlu.parse(text, Language.EN).confident and len(offered(text)) >= 2
        ),
        None,
    )
    assert vague is not None, "one of the candidates is vague for the current model"
    user = await onboarded(telegram, "3")
    (menu,) = await ask(user, vague)
    assert message_text(menu).startswith("Which one did you mean?")
    labels = button_texts(menu)
    assert len(labels) >= 2 and labels[0].startswith("1. ") and labels[1].startswith("2. ")
    (picked,) = await ask(user, "2")
    second = knowledge.for_intent(offered(vague)[1])
    if second is not None:
        assert message_text(picked) == second.short(Language.EN)
    else:
        assert message_text(picked)


@pytest.mark.parametrize(
    ("number", "phrase", "language", "article"),
    [
        ("1", "үйде өрт шықты", Language.KK, "emergency_fire"),
        ("2", "землетрясение, дом трясется", Language.RU, "emergency_earthquake"),
        ("3", "water is flooding my house", Language.EN, "emergency_flood"),
    ],
)
async def test_danger_gets_guidance_first_and_reaches_the_inbox(
    telegram: SandboxClient,
    knowledge: KnowledgeBase,
    sessions: SessionFactory,
    number: str,
    phrase: str,
    language: Language,
    article: str,
) -> None:
    user = await onboarded(telegram, number)
    first, second = await ask(user, phrase, 2)
    assert message_text(first) == knowledge.by_id(article).short(language)
    assert message_text(second) == knowledge.by_id("emergency_reach_112").short(language)
    async with sessions() as session:
        requests = (await session.scalars(select(HandoverRequest))).all()
    assert [(r.kind, r.language) for r in requests] == [("emergency", language.value)]


async def test_danger_is_answered_even_before_onboarding(
    telegram: SandboxClient, knowledge: KnowledgeBase
) -> None:
    user = await telegram.add_user("New", language_code="ru")
    first, _ = await ask(user, "пожар", 2)
    assert message_text(first) == knowledge.by_id("emergency_fire").short(Language.RU)


async def test_a_question_in_another_language_is_answered_in_that_language(
    telegram: SandboxClient, knowledge: KnowledgeBase
) -> None:
    user = await onboarded(telegram, "3")
    (answer,) = await ask(user, "сколько часов сурдопереводчика положено в год")
    assert message_text(answer) == knowledge.by_id("sign_interpreter_info").short(Language.RU)


async def test_a_place_shared_after_a_call_for_help_goes_with_it(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "3")
    messages = await ask(user, "there is a fire in my flat", 3)
    assert message_text(messages[2]) == (
        "If you can, share your location here. I will add it to your call for help."
    )
    await user.share_location(43.2389, 76.8897)
    (added,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(added) == "I added your location to your call for help."
    async with sessions() as session:
        (request,) = (await session.scalars(select(HandoverRequest))).all()
    assert (request.kind, request.latitude, request.longitude) == ("emergency", 43.2389, 76.8897)


async def test_a_place_without_a_call_for_help_is_only_acknowledged(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "3")
    await user.share_location(43.2389, 76.8897)
    (reply, _) = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(reply) == "I got your location. I do not use it yet."
