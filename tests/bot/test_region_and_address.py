"""Issue 20, finding 5, the rest: the region asked in onboarding (a step that can be skipped),
"Change my region" in the menu, a step count that fits each service from its first step, and
the last address offered again at the next booking. The real bot, through the sandbox.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from alerts.models import Registrant
from bookings.models import Booking
from bot.dialogue.engine import Dialogue
from content.articles import KnowledgeBase
from core.database import SessionFactory
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from tests.alerts.broadcast import add_registrants
from tests.bot.booking_talk import monday_clock, person_of, say, texts  # noqa: F401 (the clock fixture)
from tests.conftest import need
from tests.conversation.test_everything_speaks import _heard_in_full
from voice.service import Voice
from voice.synthesis.festival import festival_available

REQUEST = {
    "1": "ертең сағат онда 2 сағатқа ымдау тілі аудармашысын жазыңыз",
    "2": "запишите сурдопереводчика на завтра в 10 на 2 часа",
    "3": "book a sign language interpreter for tomorrow at 10 for 2 hours",
}


async def until_kinds(telegram: SandboxClient, language: str) -> SimUser:
    """A person in text mode who chose a language and answers in text, asked about kinds."""
    user = await telegram.add_user("Marat")
    for text, replies in (("/start", 1), (language, 1), ("1", 2)):
        await say(user, text, replies)
    return user


@pytest.mark.parametrize(
    ("language", "step", "answer", "saved", "code", "address_step"),
    [
        ("1", "4-қадам, барлығы 4. Қай жерде тұрасыз?", "press", "Сақталды: Шымкент қаласы.",
         "79", "3-қадам, барлығы 4. Қай жерге келу керек?"),
        ("2", "Шаг 4 из 4. Где вы живёте?", "20", "Сохранено: город Шымкент.", "79",
         "Шаг 3 из 4. Куда к вам прийти?"),
        ("3", "Step 4 of 4. Where do you live?", "I live in Karaganda", "Saved: Karaganda Region.",
         "35", "Step 3 of 4. Where should they come?"),
    ],
)  # fmt: skip
async def test_onboarding_asks_the_region_and_the_booking_then_only_the_address(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    step: str,
    answer: str,
    saved: str,
    code: str,
    address_step: str,
) -> None:
    """The fourth onboarding step lists the 20 regions and cities of the KATO list and "skip";
    a button, a number or a name chooses one. A booking then does not ask where they live."""
    user = await until_kinds(telegram, language)
    asked = await say(user, "3, 4", 2)  # deaf, hard of hearing: on to the region
    assert message_text(asked[0]).startswith(step), message_text(asked[0])
    choices = button_texts(asked[1])
    assert len(choices) == 21 and choices[0].startswith("1. ") and choices[-1].startswith("21. ")
    if answer == "press":
        await user.press(choices[19])  # 20. Shymkent
        done = await user.wait_for_bot_messages(3, timeout=60)
    else:
        done = await say(user, answer, 3)
    assert message_text(done[0]) == saved
    assert len(button_texts(done[-1])) == 10, "the menu, with Change my region"
    assert (await person_of(sessions, user)).region == code
    (address,) = await say(user, REQUEST[language])
    assert message_text(address).startswith(address_step), message_text(address)


async def test_the_region_step_can_be_skipped(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    user = await until_kinds(telegram, "2")
    await say(user, "дальше", 2)  # no disability kinds: on to the region
    done = await say(user, "пропустить", 2)
    assert message_text(done[0]).startswith("Всё готово")
    person = await person_of(sessions, user)
    assert person.region is None and person.onboarded_at is not None


async def test_a_fire_in_the_middle_of_the_region_step_comes_first(
    telegram: SandboxClient, sessions: SessionFactory, knowledge: KnowledgeBase
) -> None:
    """Safety first, during the new step too: "пожар" gets the emergency answer at once, not
    "which region?"; nothing is taken as a region. As at every onboarding step, the emergency
    answer leaves the step, and the next message starts onboarding again."""
    user = await until_kinds(telegram, "2")
    (_, region) = await say(user, "готово", 2)
    assert message_text(region).endswith("«дальше».") and len(button_texts(region)) == 21
    fire = await say(user, "пожар", 3)
    assert message_text(fire[0]) == knowledge.by_id("emergency_fire").short(Language.RU)
    person = await person_of(sessions, user)
    assert person.region is None and person.onboarded_at is None
    (again,) = await say(user, "Астана")
    assert "Шаг 1 из 4" in message_text(again)


async def test_a_voice_mode_person_hears_the_region_list_and_answers_by_number(
    telegram: SandboxClient, dialogue: Dialogue, voice: Voice, sessions: SessionFactory
) -> None:
    """In voice mode the region step is one voice note: the question, why, and every choice
    read out ("Скажите или нажмите: 1 — …"), as the other menus are."""
    user = await telegram.add_user("Gulnar")
    await say(user, "/start")
    await say(user, "2")  # Русский
    await say(user, "2")  # answers by voice
    (region,) = await say(user, "готово")
    assert message_text(region).startswith("Шаг 4 из 4. Где вы живёте?")
    spoken = await _heard_in_full(user, voice, region, Language.RU, dialogue)
    assert "20 — город Шымкент" in spoken and spoken.endswith("21 — Пропустить.")
    (done,) = await say(user, "19")
    assert message_text(done).startswith("Сохранено: город Алматы.")
    assert (await person_of(sessions, user)).region == "75"


@pytest.mark.parametrize(
    ("language", "open_it", "now", "choose", "confirm", "yes", "done"),
    [
        ("1", "10", "Аймағыңызды әлі білмеймін.", "Астанада тұрамын",
         "Жаңа аймағыңыз: Астана қаласы. Дұрыс па?", "иә",
         "Сақталды. Енді аймағыңыз: Астана қаласы."),
        ("2", "сменить регион", "Я пока не знаю ваш регион.", "press",
         "Ваш новый регион: город Шымкент. Верно?", "1",
         "Сохранено. Теперь ваш регион: город Шымкент."),
        ("3", "button", "I do not know your region yet.", "Pavlodar",
         "Your new region: Pavlodar Region. Is that right?", "yes",
         "Saved. Your region is now Pavlodar Region."),
    ],
)  # fmt: skip
async def test_change_my_region_from_the_menu_is_read_back_and_confirmed(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    open_it: str,
    now: str,
    choose: str,
    confirm: str,
    yes: str,
    done: str,
) -> None:
    user = await until_kinds(telegram, language)
    skip = {"1": "өткізу", "2": "дальше", "3": "skip"}[language]
    await say(user, skip, 2)
    menu = await say(user, skip, 2)  # no region given in onboarding
    if open_it == "button":
        await user.press(button_texts(menu[-1])[9])  # 10. Change my region
        shown = await user.wait_for_bot_messages(2, timeout=60)
    else:
        shown = await say(user, open_it, 2)
    assert message_text(shown[0]) == now
    assert len(button_texts(shown[1])) == 21
    if choose == "press":
        await user.press(button_texts(shown[1])[19])
        (asked,) = await user.wait_for_bot_messages(1, timeout=60)
    else:
        (asked,) = await say(user, choose)
    assert message_text(asked).startswith(confirm), message_text(asked)
    assert len(button_texts(asked)) == 2
    saved = await say(user, yes)
    assert message_text(saved[0]).startswith(done), message_text(saved[0])
    code = {"1": "71", "2": "79", "3": "55"}[language]
    assert (await person_of(sessions, user)).region == code


async def test_a_no_shows_the_list_again_and_a_yes_moves_the_warnings_too(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    """A "no" to the read-back changes nothing and shows the list again. A yes moves the
    person's place on the warning list with them, whoever put it there (their own latest word
    wins: alerts.registry.region_word)."""
    user = await until_kinds(telegram, "3")
    await say(user, "skip", 2)
    await say(user, "Almaty", 3)
    person = await person_of(sessions, user)
    await add_registrants(sessions, [{"person_id": person.id, "region": "75"}])
    shown = await say(user, "change my region", 2)
    assert message_text(shown[0]) == "Your region now: Almaty."
    await say(user, "Shymkent")
    again = await say(user, "no", 2)
    assert message_text(again[0]) == "Your region now: Almaty."
    assert (await person_of(sessions, user)).region == "75"
    await say(user, "Shymkent")
    saved = await say(user, "yes", 2)
    assert (
        message_text(saved[0])
        == "Saved. Your region is now Shymkent. I will look for services there."
    )
    assert message_text(saved[1]) == "Danger warnings now come for Shymkent."
    async with sessions() as session:
        moved = await session.scalar(select(Registrant).where(Registrant.person_id == person.id))
    assert moved is not None and (moved.region, moved.region_source) == ("79", "bot")
    kept = await say(user, "change my region", 2)
    assert texts(await say(user, "21")).startswith("Nothing changed."), texts(kept)
    assert (await person_of(sessions, user)).region == "79"


@pytest.mark.parametrize(
    ("language", "press_sanatorium", "region_step", "city", "read_back_step"),
    [
        ("1", "4. ", "1-қадам, барлығы 2. Қай жерде тұрасыз?", "Астана", "2-қадам, барлығы 2."),
        ("2", "4. ", "Шаг 1 из 2. Где вы живёте?", "Астана", "Шаг 2 из 2."),
        ("3", "4. ", "Step 1 of 2. Where do you live?", "Astana", "Step 2 of 2."),
    ],
)
async def test_a_sanatorium_request_counts_its_own_steps_from_the_first(
    telegram: SandboxClient,
    language: str,
    press_sanatorium: str,
    region_step: str,
    city: str,
    read_back_step: str,
) -> None:
    """The service menu is not numbered (the choice decides the steps); a sanatorium request
    is then the region and the read-back: "Step 1 of 2", "Step 2 of 2", never "3 of 3"."""
    user = await until_kinds(telegram, language)
    await say(user, "3, 4", 2)
    menu = await say(user, "skip", 2)
    await user.press(button_texts(menu[-1])[0])  # 1. Book a service
    (services,) = await user.wait_for_bot_messages(1, timeout=60)
    assert "1" not in message_text(services).split(".")[0], "no step count before the choice"
    sanatorium = next(b for b in button_texts(services) if b.startswith(press_sanatorium))
    await user.press(sanatorium)
    (region,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(region).startswith(region_step), message_text(region)
    read_back = await say(user, city, 3)
    assert message_text(read_back[0]).startswith(read_back_step), message_text(read_back[0])


async def test_another_address_can_be_given_by_button_or_straight_away(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    """The offer of the last address is a choice: "2. Another address" asks for it, and a new
    address typed instead of an answer is taken as it is. Each booking keeps its own."""
    user = await until_kinds(telegram, "3")
    await say(user, "3, 4", 2)
    await say(user, "Astana", 3)
    await say(user, REQUEST["3"])
    await say(user, "Abay street 10, flat 5", 3)
    await say(user, "yes", 2)
    (offer,) = await say(user, REQUEST["3"].replace("tomorrow", "on Wednesday"))
    assert message_text(offer) == (
        "Step 3 of 4. Same address as last time: Abay street 10, flat 5?"
    )
    assert button_texts(offer) == ["1. Yes", "2. Another address"]
    await user.press("2. Another address")
    (question,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(question).startswith("Step 3 of 4. Where should they come?")
    read_back = await say(user, "Kenesary street 4, flat 9", 3)
    assert "Where: Astana, Kenesary street 4, flat 9" in message_text(read_back[1]).splitlines()
    assert message_text((await say(user, "yes", 2))[0]).startswith("Booked"), texts(read_back)
    (offer,) = await say(user, REQUEST["3"].replace("tomorrow", "on Thursday"))
    assert "Kenesary street 4, flat 9?" in message_text(offer), "the newest address is offered"
    read_back = await say(user, "Mangilik El 20", 3)  # another one given straight away
    assert "Where: Astana, Mangilik El 20" in message_text(read_back[1]).splitlines()
    await say(user, "yes", 2)
    async with sessions() as session:
        stored = (await session.scalars(select(Booking).order_by(Booking.id))).all()
    assert [b.address for b in stored] == [
        "Abay street 10, flat 5",
        "Kenesary street 4, flat 9",
        "Mangilik El 20",
    ]


@pytest.mark.parametrize(
    ("language", "region", "yes", "heard", "done", "code"),
    [
        ("2", "Шымкент", "да", "Вы спросили: да", "Теперь ваш регион", "79"),
        ("3", "Shymkent", "yes", "You asked: yes", "Your region is now", "79"),
    ],
)
async def test_a_spoken_yes_confirms_a_changed_region(
    telegram: SandboxClient,
    sessions: SessionFactory,
    voice: Voice,
    language: str,
    region: str,
    yes: str,
    heard: str,
    done: str,
    code: str,
) -> None:
    """ "Change my region" asks yes or no (a declared confirmation): a spoken yes is heard as
    one and saves the region."""
    spoken_in = {"2": Language.RU, "3": Language.EN}[language]
    if spoken_in is Language.RU:
        need(festival_available(), "festival and festvox-ru are not installed")
    user = await until_kinds(telegram, language)
    skip = {"2": "дальше", "3": "skip"}[language]
    await say(user, skip, 2)
    menu = await say(user, skip, 2)  # no region given in onboarding
    await user.press(button_texts(menu[-1])[9])  # 10. Change my region
    await user.wait_for_bot_messages(2, timeout=60)
    (asked,) = await say(user, region)
    assert len(button_texts(asked)) == 2, "yes or no"
    await user.send_voice((await voice.say(yes, spoken_in)).ogg, duration=1)
    saved = await user.wait_for_bot_messages(2, timeout=90)  # in text mode, a message a part
    assert message_text(saved[0]) == heard
    assert done in message_text(saved[1]), message_text(saved[1])
    assert (await person_of(sessions, user)).region == code
