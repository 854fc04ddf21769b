"""The channel-neutral dialogue, turn by turn, as the terminal chat and Telegram both use it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import Reply, Turn, TurnKind
from core import audit
from core.database import SessionFactory
from core.models import Consent, HandoverRequest, Person
from core.profile import Language

USER = 501


async def say(dialogue: Dialogue, text: str, user: int = USER) -> Reply:
    return await dialogue.handle(Turn(user_id=user, text=text))


async def press(dialogue: Dialogue, payload: str, user: int = USER) -> Reply:
    return await dialogue.handle(Turn(user_id=user, kind=TurnKind.BUTTON, payload=payload))


async def person(sessions: SessionFactory, user: int = USER) -> Person | None:
    async with sessions() as session:
        return await session.scalar(select(Person).where(Person.telegram_id == user))


@pytest.mark.parametrize(
    ("language_answer", "mode_answer", "kinds_answer", "language", "mode", "kinds"),
    [
        ("1", "мәтін", "саңырау", Language.KK, "text", ["deaf"]),
        ("қазақша", "екі", "3", Language.KK, "voice", ["deaf"]),
        ("kazakh", "екеуі", "1 3", Language.KK, "both", ["blind", "deaf"]),
        ("два", "голосом", "дальше", Language.RU, "voice", []),
        ("Русский", "3", "незрячий", Language.RU, "both", ["blind"]),
        ("english", "text", "skip", Language.EN, "text", []),
        ("three", "voice", "one, three", Language.EN, "voice", ["blind", "deaf"]),
        ("3. English", "2. Voice", "8. Done", Language.EN, "voice", []),
    ],
)
async def test_onboarding_by_typed_answers(
    dialogue: Dialogue,
    sessions: SessionFactory,
    language_answer: str,
    mode_answer: str,
    kinds_answer: str,
    language: Language,
    mode: str,
    kinds: list[str],
) -> None:
    first = await say(dialogue, "/start")
    assert "Step 1 of 4" in first.text and "Шаг 1 из 4" in first.text and "1-қадам" in first.text
    second = await say(dialogue, language_answer)
    assert second.language is language
    assert {"kk": "2-қадам", "ru": "Шаг 2 из 4", "en": "Step 2 of 4"}[language] in second.text
    third = await say(dialogue, mode_answer)
    assert {"kk": "3-қадам", "ru": "Шаг 3 из 4", "en": "Step 3 of 4"}[language] in third.text
    fourth = await say(dialogue, kinds_answer)
    done_word = {"kk": "дайын", "ru": "готово", "en": "done"}[language]
    if len(kinds) == 1:  # one kind chosen: the bot offers to add more, "done" goes on
        fourth = await say(dialogue, done_word)
    assert {"kk": "4-қадам", "ru": "Шаг 4 из 4", "en": "Step 4 of 4"}[language] in fourth.text
    assert len(fourth.buttons) == 21, "the 20 regions and cities, and skip"
    done = await say(dialogue, done_word)  # the region is optional
    assert done.buttons, "the menu follows onboarding"
    stored = await person(sessions)
    assert stored is not None and stored.onboarded_at is not None
    assert (stored.language, stored.answer_mode, stored.disability_kinds) == (language, mode, kinds)
    async with sessions() as session:
        consents = await session.scalar(select(func.count()).select_from(Consent))
    assert consents == (1 if kinds else 0)


async def test_an_answer_that_does_not_fit_asks_again(dialogue: Dialogue) -> None:
    await say(dialogue, "/start")
    reply = await say(dialogue, "purple")
    assert "Sorry, I did not get that answer." in reply.parts[0]
    assert "Простите, я не понял ответ." in reply.parts[0]
    assert "Step 1 of 4" in reply.text
    assert (await say(dialogue, "2")).language is Language.RU


async def onboard(dialogue: Dialogue, language: str = "3", user: int = USER) -> None:
    await say(dialogue, "/start", user)
    await say(dialogue, language, user)
    await say(dialogue, "1", user)
    await say(dialogue, "skip", user)  # no disability kinds
    await say(dialogue, "skip", user)  # no region


@pytest.mark.parametrize("word", ["repeat", "қайтала", "Повтори!", "/repeat", "5", "five"])
async def test_repeat_in_any_language_and_by_menu_number(dialogue: Dialogue, word: str) -> None:
    await onboard(dialogue)
    shown = await say(dialogue, "menu")
    assert (await say(dialogue, word)).parts == shown.parts


async def test_forget_me_needs_yes_and_leaves_an_audit_entry_without_personal_data(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue)
    await say(dialogue, "talk to a person")
    ask = await say(dialogue, "forget me")
    assert "yes or no" in ask.text
    assert (await say(dialogue, "no")).parts[0] == "OK. I deleted nothing."
    assert await person(sessions) is not None
    await say(dialogue, "мені ұмыт")
    done = await say(dialogue, "иә")
    assert "Деректеріңізді өшірдім" in done.text  # asked in Kazakh: answered in Kazakh
    assert await person(sessions) is None
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HandoverRequest)) == 0
        forgotten = await audit.entries(session, action="person.forgotten")
    assert len(forgotten) == 1
    stored = {  # what the row holds (the object's own state would show memory addresses)
        column.key: getattr(forgotten[0], column.key) for column in forgotten[0].__table__.columns
    }
    assert str(USER) not in repr(stored)


async def test_my_data_shows_what_is_stored(dialogue: Dialogue) -> None:
    await say(dialogue, "/start")
    await say(dialogue, "english")
    await say(dialogue, "both")
    await say(dialogue, "deaf")
    await say(dialogue, "done")
    shown = (await say(dialogue, "my data")).text
    for fact in [
        "English",
        "Voice and text",
        "Deaf",
        "not given",
        "Consent: about your disability",
    ]:
        assert fact in shown


async def test_talk_to_a_person_is_stored_and_acknowledged(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue, "2")
    reply = await say(dialogue, "позовите человека")
    assert "сотруднику" in reply.text
    async with sessions() as session:
        requests = (await session.scalars(select(HandoverRequest))).all()
    assert [(r.language, r.status) for r in requests] == [("ru", "open")]


async def test_change_language_mid_conversation(dialogue: Dialogue) -> None:
    await onboard(dialogue, "3")
    await say(dialogue, "change language")
    changed = await say(dialogue, "қазақша")
    assert changed.language is Language.KK
    assert "қазақша" in changed.parts[0]
    assert (await say(dialogue, "мәзір")).parts[0].startswith("Мен — Көмек")


async def test_anything_else_gets_what_the_bot_can_do(dialogue: Dialogue) -> None:
    await onboard(dialogue)
    reply = await say(dialogue, "what will the weather be like in paris tomorrow")
    assert reply.parts == (
        "Sorry, I cannot help with that.",
        "I answer questions about the help you can get.",
    )
    assert len(reply.buttons) == 10


async def test_a_huge_message_is_answered_not_crashed(dialogue: Dialogue) -> None:
    await onboard(dialogue)
    reply = await say(dialogue, "помогите " * 20_000)
    assert reply.parts


async def test_buttons_are_numbered_words(dialogue: Dialogue) -> None:
    await onboard(dialogue)
    for button in (await say(dialogue, "menu")).buttons:
        number, _, words = button.label.partition(". ")
        assert number.isdigit() and words and words[0].isalpha()
