"""Finding 7: a greeting with a question after it gets the question answered, as the question
alone would be, not only "Hello". End to end through the sandbox, in kk, ru and en."""

from __future__ import annotations

import pytest

from core.i18n import Catalogs
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.conversation.talk import onboarded, say


@pytest.mark.parametrize(
    ("language", "greeting", "question"),
    [
        ("kk", "Сәлем,", "жәрдемақы туралы сұрағым бар"),
        ("kk", "Сәлеметсіз бе!", "Сұрақ: жәрдемақы"),
        ("ru", "Здравствуйте,", "сколько часов сурдопереводчика положено"),
        ("ru", "Добрый вечер,", "интересует коляска"),
        ("ru", "Здравствуйте, Kömek.", "Вопрос про пенсию"),
        ("en", "Hi,", "I have a question about the benefit"),
        ("en", "hello komek,", "my question is about pension"),
        ("en", "Hello, good day,", "whats the benefit for group 2"),
    ],
)
async def test_a_greeting_with_a_question_gets_the_answer(
    telegram: SandboxClient, language: str, greeting: str, question: str
) -> None:
    asking = await onboarded(telegram, language)
    (alone,) = await say(asking, question)
    greeting_first = await onboarded(telegram, language)
    (answered,) = await say(greeting_first, f"{greeting} {question}")
    hello = Catalogs.load().text(Language(language), "greet.reply")
    assert message_text(answered) != hello
    assert message_text(answered) == message_text(alone)


async def test_a_greeting_alone_is_still_greeted(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "ru")
    (reply,) = await say(user, "Здравствуйте!")
    assert message_text(reply) == Catalogs.load().text(Language.RU, "greet.reply")


@pytest.mark.parametrize(
    ("language", "typed", "asked_plainly"),
    [
        (
            "en",
            "how meny houres of intepreter i can book in a yaer",
            "How many hours of sign language interpreter do I get?",
        ),
        ("en", "how many interpeter hours can I book?", "How many hours of interpreter do I get?"),
        (
            "ru",
            "сколко часов сурдопереводчка можно заказать",
            "Сколько часов сурдопереводчика положено?",
        ),
    ],
)
async def test_a_mistyped_question_about_interpreter_hours_gets_the_answer(
    telegram: SandboxClient, language: str, typed: str, asked_plainly: str
) -> None:
    """Finding 7: "how many … can I book" asks about the service; it is not a booking."""
    plain = await onboarded(telegram, language)
    (answer,) = await say(plain, asked_plainly)
    mistyped = await onboarded(telegram, language)
    (reply,) = await say(mistyped, typed)
    assert message_text(reply) == message_text(answer)
    asks_service = Catalogs.load().text(Language(language), "booking.ask_service")
    assert asks_service not in message_text(reply)


@pytest.mark.parametrize(
    ("language", "typed", "spelled"),
    [
        ("en", "book a sign langage intepreter", "book a sign language interpreter"),
        ("en", "book a personal asistant", "book a personal assistant"),
        ("ru", "хочу заказать сурдопереводчка", "хочу заказать сурдопереводчика"),
        ("ru", "хочу заказать асистента", "хочу заказать ассистента"),
        ("kk", "сурдоадармашыға жазып беріңізші", "сурдоаудармашыға жазып беріңізші"),
    ],
)
async def test_a_mistyped_service_name_is_still_booked(
    telegram: SandboxClient, language: str, typed: str, spelled: str
) -> None:
    """Service names are read with a letter or two wrong, in every language: the booking goes
    on with the service named instead of asking again which service."""
    exact = await onboarded(telegram, language, kinds="3, 6")
    (expected,) = await say(exact, spelled)
    person = await onboarded(telegram, language, kinds="3, 6")
    (reply,) = await say(person, typed)
    asks_service = Catalogs.load().text(Language(language), "booking.ask_service")
    assert asks_service not in message_text(expected)
    assert message_text(reply) == message_text(expected)
