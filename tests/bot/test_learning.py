"""Messages kept for staff to teach the assistant: only with consent, masked, encrypted with a
key, for the four signs that an answer missed, and gone when consent or the person goes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from bot.dialogue.engine import Dialogue
from core import audit, encryption
from core.clock import ManualClock
from core.database import SessionFactory
from core.encryption import new_key
from core.models import Consent, HandoverRequest, ReviewItem
from core.profile import Language
from nlu.pipeline import NLU
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.bot.test_dialogue import USER, onboard, press, say
from tests.bot.test_telegram import onboarded, reply_to, texts

QUESTION = "How many hours of a sign language interpreter do I get a year?"
REPHRASED = "how many hours of sign language interpreter a year do i get"
VAGUE = "regarding the thing at the office"
WITH_DATA = (
    "my name is Aigul Bekova, mail aigul@mail.kz, phone +7 701 123 45 67, IIN 850101300123, "
    "about that paper"
)


@pytest.fixture(autouse=True)
def _no_key_after() -> Iterator[None]:
    yield
    encryption.configure(None)


async def kept(sessions: SessionFactory) -> list[ReviewItem]:
    async with sessions() as session:
        return list((await session.scalars(select(ReviewItem).order_by(ReviewItem.id))).all())


async def agree(dialogue: Dialogue) -> None:
    asked = await say(dialogue, "teach")
    assert "Now: off." in asked.text and "yes or no" in asked.text
    assert "after 90 days" in asked.text
    assert (await say(dialogue, "yes")).parts[0].startswith("Thank you.")


def test_the_messages_used_here_are_what_they_need_to_be(nlu: NLU) -> None:
    """Preconditions on the trained model: one question it is sure of, one it is not."""
    assert nlu.parse(QUESTION, Language.EN).confident
    assert nlu.parse(REPHRASED, Language.EN).confident
    assert not nlu.parse(VAGUE, Language.EN).confident
    assert not nlu.parse(WITH_DATA, Language.EN).confident


async def test_nothing_is_kept_without_consent(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue)
    await say(dialogue, VAGUE)
    await say(dialogue, QUESTION)
    await say(dialogue, QUESTION)
    await say(dialogue, "no, that's not what I asked")
    await say(dialogue, QUESTION)
    await say(dialogue, "talk to a person")
    assert await kept(sessions) == []
    shown = await say(dialogue, "my data")
    assert "Teaching me with your unclear messages: off" in shown.text


async def test_an_unsure_message_is_kept_masked_after_consent(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue)
    await agree(dialogue)
    await say(dialogue, WITH_DATA)
    [item] = await kept(sessions)
    assert item.reason == "unsure" and item.language == "en"
    assert item.confidence < 0.45
    for secret in ("Aigul", "Bekova", "aigul@mail.kz", "701", "850101300123"):
        assert secret not in item.text
    masked = "my name is [name], mail [email], phone [phone], IIN [number], about that paper"
    assert item.text == masked
    shown = await say(dialogue, "my data")
    assert "Teaching me with your unclear messages: on (1 kept)" in shown.text
    assert "Consent: teach me with your unclear messages, version 1" in shown.text
    async with sessions() as session:
        given = await audit.entries(session, action="nlu_review.consent_given")
    assert len(given) == 1 and given[0].actor.startswith("person:")


async def test_a_correction_keeps_the_question_it_corrects_and_apologises(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue, "2")  # Russian
    await say(dialogue, "обучение")
    await say(dialogue, "да")
    question = "сколько часов сурдопереводчика положено в год"
    await say(dialogue, question)
    reply = await say(dialogue, "нет, это не то")
    assert reply.parts[0].startswith("Простите, я ошибся. Спросите ещё раз, другими словами")
    [item] = await kept(sessions)
    assert (item.reason, item.text) == ("corrected", question)
    assert item.predicted == "sign_interpreter_info"
    again = await say(dialogue, "нет, это не то")  # kept once: the second says nothing new
    assert len(await kept(sessions)) == 1
    assert again.parts[0] != reply.parts[0]


async def test_a_repeated_question_is_kept_only_within_the_window(
    dialogue: Dialogue, sessions: SessionFactory, clock: ManualClock
) -> None:
    await onboard(dialogue)
    await agree(dialogue)
    await say(dialogue, QUESTION)
    clock.tick(60 * 4)  # past the three minutes: asking again is not a sign of a miss
    await say(dialogue, REPHRASED)
    assert await kept(sessions) == []
    clock.tick(60)
    await say(dialogue, QUESTION)
    [item] = await kept(sessions)
    assert (item.reason, item.text) == ("repeated", REPHRASED)


async def test_asking_for_a_human_right_after_an_answer_keeps_the_question(
    dialogue: Dialogue, sessions: SessionFactory, clock: ManualClock
) -> None:
    await onboard(dialogue, "1")  # Kazakh
    await say(dialogue, "үйрету")
    await say(dialogue, "иә")
    await say(dialogue, "Әлеуметтік такси қайда апарады?")
    clock.tick(30)
    await say(dialogue, "адаммен сөйлескім келеді")
    [item] = await kept(sessions)
    assert (item.reason, item.language) == ("handover", "kk")
    assert item.text == "Әлеуметтік такси қайда апарады?"


async def test_saying_no_withdraws_consent_and_deletes_what_was_kept(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue)
    await agree(dialogue)
    await say(dialogue, VAGUE)
    assert len(await kept(sessions)) == 1
    asked = await say(dialogue, "teach")
    assert "Now: on." in asked.text
    done = await say(dialogue, "2")  # the second button: "No, do not keep"
    assert "I deleted the ones I kept" in done.text
    assert await kept(sessions) == []
    await say(dialogue, VAGUE)
    assert await kept(sessions) == []
    async with sessions() as session:
        consents = (await session.scalars(select(Consent.topic))).all()
        withdrawn = await audit.entries(session, action="nlu_review.consent_withdrawn")
    assert "nlu_review" not in consents
    assert [entry.details["deleted"] for entry in withdrawn] == [1]


async def test_forget_me_deletes_the_kept_messages(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    await onboard(dialogue)
    await agree(dialogue)
    await say(dialogue, VAGUE)
    await say(dialogue, "forget me")
    await say(dialogue, "yes")
    assert await kept(sessions) == []


async def test_with_a_data_key_the_kept_text_is_encrypted_at_rest(
    dialogue: Dialogue, sessions: SessionFactory
) -> None:
    encryption.configure(SecretStr(new_key()))
    await onboard(dialogue, user=USER)
    await agree(dialogue)
    await say(dialogue, VAGUE)
    async with sessions() as session:
        raw = (await session.execute(text("SELECT text FROM nlu_review_items"))).scalar_one()
    assert raw.startswith(encryption.PREFIX) and "folder" not in raw
    [item] = await kept(sessions)
    assert item.text == VAGUE


@pytest.mark.parametrize(
    "message",
    [
        "no, that is not what I asked, I am not safe",
        "ол емес, мен қауіпсіз емеспін",
        "это не то, мне нужна помощь",
    ],
)
async def test_a_call_for_help_worded_like_a_correction_is_never_taken_for_one(
    dialogue: Dialogue, sessions: SessionFactory, message: str
) -> None:
    await onboard(dialogue)
    await agree(dialogue)
    await say(dialogue, QUESTION)
    reply = await say(dialogue, message)
    assert "112" in reply.text and "Sorry, I got that wrong" not in reply.text
    assert await kept(sessions) == []
    async with sessions() as session:
        kinds = (await session.scalars(select(HandoverRequest.kind))).all()
    assert kinds == ["emergency"]  # in the help inbox


async def test_consent_by_the_buttons_of_my_data_in_telegram(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    """Through the real aiogram bot and the sandbox Bot API: "my data", its "Teach me" button,
    "Yes", then an unclear message is kept."""
    user = await onboarded(telegram)
    shown = await reply_to(user, "my data", 3)
    assert "Teaching me with your unclear messages: off" in texts(shown)
    teach = [label for label in button_texts(shown[-1]) if label.endswith(". Teach me")]
    assert teach == ["11. Teach me"], button_texts(shown[-1])  # after "10. Change my region"
    await user.press(teach[0])
    asked = await user.wait_for_bot_messages(4, timeout=60)
    assert button_texts(asked[-1]) == ["1. Yes, I agree", "2. No, do not keep"]
    await user.press("1. Yes, I agree")
    (thanks,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(thanks).startswith("Thank you.")
    await reply_to(user, VAGUE)
    [item] = await kept(sessions)
    assert (item.reason, item.text) == ("unsure", VAGUE)


async def test_the_topic_picked_after_which_one_did_you_mean_is_noted_for_staff(
    dialogue: Dialogue, sessions: SessionFactory, clock: ManualClock
) -> None:
    await onboard(dialogue)
    await agree(dialogue)
    await say(dialogue, VAGUE)
    clock.tick(20)
    await press(dialogue, "topic:social_taxi_info")
    await say(dialogue, WITH_DATA)
    clock.tick(60 * 4)  # too late to be about it
    await press(dialogue, "topic:sign_interpreter_info")
    first, second = await kept(sessions)
    assert (first.text, first.chosen) == (VAGUE, "social_taxi_info")
    assert second.chosen is None
