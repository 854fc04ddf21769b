"""Finding 1: the conversation keeps the language of the person's last message through
follow-ups ("more", "source", numbered choices), multi-step flows and button presses, until
they write in another language or change their profile's. End to end through the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest
from sqlalchemy import select

from bot.dialogue.features.answers import sources_text
from content.articles import KnowledgeBase
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.models import Conversation, Person
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.conversation.talk import onboarded, press, say, texts

MONDAY_9_LOCAL = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)

QUESTIONS = {
    Language.KK: "ымдау тілі аудармашысы жылына неше сағат беріледі",
    Language.RU: "сколько часов сурдопереводчика положено в год",
    Language.EN: "how many hours of sign language interpreting do i get a year",
}
MORE_LABEL = {Language.KK: "1. Толығырақ", Language.RU: "1. Подробнее", Language.EN: "1. More"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_9_LOCAL)


@pytest.mark.parametrize(
    ("profile", "asked"),
    [("kk", Language.EN), ("en", Language.RU), ("ru", Language.KK), ("kk", Language.RU)],
)
async def test_more_and_source_keep_the_language_of_the_question(
    telegram: SandboxClient, knowledge: KnowledgeBase, profile: str, asked: Language
) -> None:
    article = knowledge.by_id("sign_interpreter_info")
    user = await onboarded(telegram, profile)
    (answer,) = await say(user, QUESTIONS[asked])
    assert message_text(answer) == article.short(asked)
    assert button_texts(answer)[0] == MORE_LABEL[asked]
    (details,) = await press(user, MORE_LABEL[asked])  # the button, in the answer's language
    assert message_text(details) == " ".join(article.details(asked))
    (source,) = await say(user, "1")  # its number
    expected = knowledge.by_id("sign_interpreter_info")
    assert message_text(source).startswith(
        {Language.KK: "Дереккөз", Language.RU: "Источник", Language.EN: "Source"}[asked]
    ), message_text(source)
    plain = sources_text(partial(Catalogs.load().text, asked), expected.sources)
    assert plain in message_text(source)  # the paragraphs' words in the question's language


@pytest.mark.parametrize(
    ("switch_to", "word"),
    [(Language.RU, "подробнее"), (Language.KK, "толығырақ"), (Language.EN, "more")],
)
async def test_a_follow_up_word_in_another_language_switches_the_conversation(
    telegram: SandboxClient, knowledge: KnowledgeBase, switch_to: Language, word: str
) -> None:
    article = knowledge.by_id("sign_interpreter_info")
    first = Language.EN if switch_to is not Language.EN else Language.RU
    user = await onboarded(telegram, "kk")
    (answer,) = await say(user, QUESTIONS[first])
    assert message_text(answer) == article.short(first)
    (details,) = await say(user, word)
    assert message_text(details) == " ".join(article.details(switch_to))
    menu = await say(user, "/menu", 2)  # and it stays so
    assert _in(button_texts(menu[-1])[0], switch_to), texts(menu)


def _in(text: str, language: Language) -> bool:
    """A rough check of a menu's language: its words for "book a service"."""
    words = {Language.KK: "Қызметке", Language.RU: "Записаться", Language.EN: "Book"}
    return words[language] in text


async def test_the_warning_list_sign_up_continues_in_the_language_it_started_in(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "kk")
    (consent,) = await say(user, "I want to get danger warnings")
    assert message_text(consent).startswith("Step 1 of 4."), message_text(consent)
    (region,) = await press(user, "1. Yes, I agree")
    assert message_text(region).startswith("Step 2 of 4."), message_text(region)
    (channels,) = await say(user, "Almaty")
    assert "Step 3 of 4." in message_text(channels)
    assert button_texts(channels)[0] == "1. Telegram only"
    (contact,) = await say(user, "1")
    assert message_text(contact).startswith("Step 4 of 4.")
    done = await say(user, "жоқ", 2)  # answered in Kazakh: the rest is in Kazakh
    assert message_text(done[0]).startswith("Дайын. Сіз ескерту тізіміндесіз.")


async def test_a_booking_started_in_russian_continues_in_russian_then_follows_english(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "en", kinds="3, 4")
    first = await say(user, "хочу записаться на услугу")
    assert message_text(first[0]).startswith("Что вам нужно?"), message_text(first[0])
    (when,) = await press(user, button_texts(first[0])[0])
    assert message_text(when).startswith("Шаг 1 из 5"), message_text(when)
    (hours,) = await say(user, "tomorrow at 3 pm")  # now in English
    assert "60 hours left" in message_text(hours), message_text(hours)
    (region,) = await say(user, "3")
    assert message_text(region).startswith("Step 3 of 5. Where do you live?")
    (address,) = await say(user, "Алматы")  # a place's name keeps the language
    assert message_text(address).startswith("Step 4 of 5. Where should they come?")
    confirm = await say(user, "улица Абая 10", 3)
    assert "Hours: 3" in message_text(confirm[1])
    assert "Where: Almaty, улица Абая 10" in message_text(confirm[1])
    done = await say(user, "да", 2)  # and back to Russian for the answer
    assert message_text(done[0]).startswith("Записал:"), message_text(done[0])


async def test_changing_the_profile_language_ends_the_kept_one(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "kk")
    await say(user, QUESTIONS[Language.EN])
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None and conversation.language == "en"
    await say(user, "/language")
    await press(user, "2. Русский")
    menu = await say(user, "/menu", 2)
    assert _in(button_texts(menu[-1])[0], Language.RU), texts(menu)
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
        person = await session.scalar(select(Person))
        assert conversation is not None and conversation.language is None
        assert person is not None and person.language == "ru"
