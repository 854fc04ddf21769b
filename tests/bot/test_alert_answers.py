"""Answers to a warning: the buttons under it, "I'm safe" and "I need help" in words.

The warning itself is sent by the fan-out's Telegram channel through the sandbox Bot API, so
the buttons the user presses are the ones real warnings carry.
"""

from __future__ import annotations

from sqlalchemy import func, select

from alerts.channels.base import Outgoing
from alerts.models import AlertRecipient, Registrant
from bot.telegram.alert_channel import TelegramAlertChannel
from bot.telegram.app import build_bot
from core.clock import ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.models import HandoverRequest
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from tests.alerts.broadcast import add_registrants, alert_received
from tests.bot.conftest import TOKEN
from tests.bot.test_alert_subscription import onboarded, reply_to, subscribed

WARNING = {
    "en": "Leave the building now. Strong earthquake in Almaty.",
    "kk": "Ғимараттан қазір шығыңыз. Алматыда күшті жер сілкінісі.",
}


async def warn(
    sandbox: SandboxServer,
    sessions: SessionFactory,
    clock: ManualClock,
    user: SimUser,
    language: str = "en",
) -> int:
    """A warning stored for the user's row on the list and sent to their chat; its id."""
    now = clock.now()
    async with sessions.begin() as session:
        registrant = await session.scalar(
            select(Registrant).where(Registrant.telegram_chat_id == user.chat_id)
        )
        assert registrant is not None
        alert = await alert_received(
            session, registrant.id, identifier=f"quake-{user.user_id}", language=language, now=now
        )
        alert_id = alert.id
    bot = build_bot(TOKEN, sandbox.base_url)
    try:
        channel = TelegramAlertChannel(bot, Catalogs.load())
        await channel.send(
            Outgoing(
                key=f"{alert_id}:telegram:0",
                delivery_id=alert_id,
                alert_id=alert_id,
                language=language,
                text=WARNING[language],
                chat_id=user.chat_id,
            )
        )
    finally:
        await bot.session.close()
    return alert_id


async def recipient(sessions: SessionFactory, alert_id: int) -> AlertRecipient:
    async with sessions() as session:
        found = await session.scalar(
            select(AlertRecipient).where(AlertRecipient.alert_id == alert_id)
        )
    assert found is not None
    return found


async def help_requests(sessions: SessionFactory) -> list[HandoverRequest]:
    async with sessions() as session:
        query = select(HandoverRequest).where(HandoverRequest.kind == "emergency")
        return list((await session.scalars(query)).all())


async def test_pressing_im_safe_answers_and_stops_the_follow_ups(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    (warning,) = await user.wait_for_bot_messages(1, timeout=60)
    assert button_texts(warning) == ["I'm safe", "I need help"]
    await user.press("I'm safe")
    (thanks,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(thanks) == "Thank you. I told the rescue services that you are safe."
    answered = await recipient(sessions, alert_id)
    assert (answered.answer, answered.answered_via) == ("safe", "button")
    assert answered.next_step_at is None
    assert await help_requests(sessions) == []


async def test_pressing_i_need_help_reaches_the_inbox_and_asks_for_the_place(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.press("I need help")
    told = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(told[0]).startswith("I told the rescue services that you need help.")
    assert "share your location" in message_text(told[0])
    assert "112" in message_text(told[1])
    answered = await recipient(sessions, alert_id)
    assert (answered.answer, answered.next_step_at) == ("help", None)
    (request,) = await help_requests(sessions)
    assert (request.alert_id, request.registrant_id) == (alert_id, answered.registrant_id)
    assert request.person_id is not None and request.status == "open"

    await user.share_location(43.26, 76.93)
    (added,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(added) == "I added your location to your call for help."
    (located,) = await help_requests(sessions)
    assert (located.latitude, located.longitude) == (43.26, 76.93)


async def test_typed_safe_in_kazakh_answers_the_latest_warning(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await onboarded(telegram, "kk")
    for text in ("ескертулер", "иә", "Алматы", "1"):
        await reply_to(user, text)
    await reply_to(user, "жоқ", 2)
    alert_id = await warn(sandbox, sessions, clock, user, "kk")
    (warning,) = await user.wait_for_bot_messages(1, timeout=60)
    assert button_texts(warning) == ["Мен аманмын", "Маған көмек керек"]
    (thanks,) = await reply_to(user, "мен аманмын")
    assert message_text(thanks) == "Рахмет. Аман екеніңізді құтқарушыларға хабарладым."
    answered = await recipient(sessions, alert_id)
    assert (answered.answer, answered.answered_via) == ("safe", "message")


async def test_typed_im_safe_in_english(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    (thanks,) = await reply_to(user, "I'm safe")
    assert message_text(thanks) == "Thank you. I told the rescue services that you are safe."
    assert (await recipient(sessions, alert_id)).answer == "safe"


async def test_typed_i_need_help_links_the_one_call_for_help_to_the_warning(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    answer = await reply_to(user, "I need help please", 3)
    assert "share your location" in message_text(answer[-1])
    answered = await recipient(sessions, alert_id)
    assert (answered.answer, answered.answered_via, answered.next_step_at) == (
        "help",
        "message",
        None,
    )
    (request,) = await help_requests(sessions)
    assert request.alert_id == alert_id and request.registrant_id == answered.registrant_id


async def test_somebody_not_on_the_list_who_is_safe_gets_the_usual_reply(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "en")
    (reply,) = await reply_to(user, "I'm safe")
    assert message_text(reply) == "Thank you. We are glad you are safe."
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AlertRecipient)) == 0


async def test_somebody_from_the_official_list_answers_before_any_set_up(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await telegram.add_user("Bolat", language_code="ru")
    await add_registrants(sessions, [{"telegram_chat_id": user.chat_id}], now=clock.now())
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.press("I'm safe")
    (thanks,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(thanks) == "Спасибо. Я сказал спасателям, что вы в безопасности."
    assert (await recipient(sessions, alert_id)).answer == "safe"


async def test_somebody_from_the_official_list_says_they_are_safe_before_any_set_up(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await telegram.add_user("Aliya", language_code="ru")
    await add_registrants(sessions, [{"telegram_chat_id": user.chat_id}], now=clock.now())
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    (thanks,) = await reply_to(user, "я в безопасности")
    assert message_text(thanks) == "Спасибо. Я сказал спасателям, что вы в безопасности."
    assert (await recipient(sessions, alert_id)).answer == "safe"


async def test_a_negated_safety_answer_is_a_call_for_help_not_safe(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.send_text("I'm not safe")
    await user.wait_for_bot_messages(2, timeout=60)
    answered = await recipient(sessions, alert_id)
    assert answered.answer == "help"
    (request,) = await help_requests(sessions)
    assert request.alert_id == alert_id


async def test_a_typed_request_for_help_in_russian_reaches_the_inbox(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.send_text("мне нужна помощь")
    replies = await user.wait_for_bot_messages(2, timeout=60)
    assert "112" in " ".join(message_text(m) for m in replies)
    assert (await recipient(sessions, alert_id)).answer == "help"
    (request,) = await help_requests(sessions)
    assert request.alert_id == alert_id


async def test_an_answer_that_does_not_say_is_unclear_and_the_person_is_asked(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.send_text("ok")
    (question,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(question).startswith("Are you safe now?")
    assert button_texts(question) == ["1. I'm safe", "2. I need help"]
    answered = await recipient(sessions, alert_id)
    assert answered.answer == "unclear"
    assert answered.next_step_at is not None  # the follow-ups go on until they say
    await user.send_text("1")
    (thanks,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(thanks) == "Thank you. I told the rescue services that you are safe."
    answered = await recipient(sessions, alert_id)
    assert (answered.answer, answered.next_step_at) == ("safe", None)


async def test_no_to_are_you_safe_means_help(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.send_text("we're safe, the fire is far away")
    await user.wait_for_bot_messages(1, timeout=60)
    assert (await recipient(sessions, alert_id)).answer == "unclear"
    await user.send_text("no")
    await user.wait_for_bot_messages(2, timeout=60)
    assert (await recipient(sessions, alert_id)).answer == "help"
    assert len(await help_requests(sessions)) == 1


async def test_a_no_in_other_words_to_a_waiting_warning_is_asked_about(
    sandbox: SandboxServer,
    telegram: SandboxClient,
    sessions: SessionFactory,
    clock: ManualClock,
) -> None:
    """A plain "no" the safety rules do not list (the model reads it as `deny`) is not met with
    "I did not understand" while a warning waits: the person is asked, the dispatcher sees
    "unclear", and the follow-ups go on."""
    user = await subscribed(telegram)
    alert_id = await warn(sandbox, sessions, clock, user)
    await user.wait_for_bot_messages(1, timeout=60)
    await user.send_text("absolutely not")
    (question,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(question).startswith("Are you safe now?")
    answered = await recipient(sessions, alert_id)
    assert answered.answer == "unclear" and answered.next_step_at is not None
