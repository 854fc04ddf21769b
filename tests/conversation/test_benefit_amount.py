"""Issue 20, finding 3: "How much is my disability benefit?" gets the 2026 amount for the
person's group and cause, with its source, through a two-step calculator in kk, ru and en,
by buttons, digits and words, and read out in voice mode. A fire mid-way still comes first."""

from __future__ import annotations

import pytest

from bot.dialogue.engine import Dialogue
from content.articles import KnowledgeBase
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.conversation.talk import onboarded, press, say, texts
from tests.conversation.test_everything_speaks import _heard_in_full
from voice.service import Voice


@pytest.mark.parametrize(
    ("language", "question", "group", "cause", "amount", "source"),
    [
        (
            "en",
            "Tell me about the disability benefit",
            "2",
            "since childhood",
            "Group 2, since childhood: 93,058 tenge a month in 2026.",
            "The Social Code of Kazakhstan (2023), article 177",
        ),
        (
            "ru",
            "Расскажите про пособие по инвалидности",
            "вторая",
            "общее заболевание",
            "2 группа, общая болезнь: 89 498 тенге в месяц в 2026 году.",
            "Социальный кодекс Казахстана (2023), статья 177",
        ),
        (
            "kk",
            "Мүгедектік жәрдемақысы туралы айтып беріңізші",
            "үш",
            "жалпы ауру",
            "3-топ, жалпы ауру: 2026 жылы айына 61 022 теңге.",
            "Қазақстанның Әлеуметтік кодексі (2023), 177-бап",
        ),
    ],
)
async def test_the_benefits_answer_leads_to_the_amount_of_a_group_and_cause(
    telegram: SandboxClient,
    language: str,
    question: str,
    group: str,
    cause: str,
    amount: str,
    source: str,
) -> None:
    user = await onboarded(telegram, language)
    (answer,) = await say(user, question)
    assert "61" in message_text(answer)  # the short answer has the amounts now
    how_much = button_texts(answer)[2]
    (ask_group,) = await press(user, how_much)
    assert len(button_texts(ask_group)) == 4
    (ask_cause,) = await say(user, group)  # a number word or an ordinal, typed
    assert len(button_texts(ask_cause)) == 3
    result = await say(user, cause, 3)  # the cause in words: amount, source, where to check
    text = texts(result).replace("\u00a0", " ")
    assert amount in text, text
    assert source in text and "50" in text, text
    assert "1414" in text


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "How much is the benefit for group 1 since childhood?", "111,873 tenge"),
        ("ru", "Сколько платят при первой группе с детства?", "111 873 тенге"),
    ],
)
async def test_a_how_much_question_naming_group_and_cause_gets_the_amount_at_once(
    telegram: SandboxClient, language: str, question: str, expected: str
) -> None:
    user = await onboarded(telegram, language)
    text = texts(await say(user, question, 3)).replace("\u00a0", " ")
    assert expected in text, text


async def test_a_how_much_question_asks_the_group_and_a_child_gets_the_parents_amount_too(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "ru")
    (ask_group,) = await say(user, "Сколько составляет пособие по инвалидности?")
    assert message_text(ask_group).startswith("Какая у вас группа?")
    text = texts(await say(user, "4", 3)).replace("\u00a0", " ")
    assert "Ребёнку до 7 лет: 81 871 тенге в месяц в 2026 году." in text
    assert "платят 81 871 тенге в месяц" in text
    assert "пособие родителям" in text  # the parents' benefit is cited too


async def test_another_cause_has_no_made_up_figure(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "en")
    await say(user, "How much is my disability benefit?")
    await say(user, "1")
    text = texts(await say(user, "3", 2))
    assert "no figure from the law" in text and "1414" in text
    assert "tenge" not in text


async def test_a_fire_mid_way_comes_first(
    telegram: SandboxClient, knowledge: KnowledgeBase
) -> None:
    user = await onboarded(telegram, "ru")
    (ask_group,) = await say(user, "Сколько мне будут платить по инвалидности?")
    assert message_text(ask_group).startswith("Какая у вас группа?")
    fire, reach, _share_place = await say(user, "пожар", 3)
    assert message_text(fire) == knowledge.by_id("emergency_fire").short(Language.RU)
    assert message_text(reach) == knowledge.by_id("emergency_reach_112").short(Language.RU)
    (again,) = await say(user, "Сколько мне будут платить по инвалидности?")
    assert message_text(again).startswith("Какая у вас группа?"), message_text(again)
    (ask_cause,) = await say(user, "2")
    assert message_text(ask_cause).startswith("Какая причина инвалидности?")


async def test_a_blind_person_hears_the_choices_and_the_amount(
    telegram: SandboxClient, dialogue: Dialogue, voice: Voice
) -> None:
    user = await telegram.add_user("Aigerim", language_code="kk")
    # Қазақша, answers by voice, no kinds given, the region step skipped
    for answer in ("/start", "1", "2", "дайын", "дайын"):
        await say(user, answer)
    (ask_group,) = await say(user, "Мүгедектік жәрдемақысы қанша?")
    spoken = await _heard_in_full(user, voice, ask_group, Language.KK, dialogue)
    assert "1-топ" in spoken or "топ" in spoken
    (ask_cause,) = await say(user, "бірінші")
    await _heard_in_full(user, voice, ask_cause, Language.KK, dialogue)
    (result,) = await say(user, "1")
    spoken = await _heard_in_full(user, voice, result, Language.KK, dialogue)
    assert "111\u00a0873 теңге" in message_text(result) and "177-бап" in spoken
