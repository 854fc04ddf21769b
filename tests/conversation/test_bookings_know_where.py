"""Finding 5: bookings know where. A service that comes to the person asks the address; a
person with no region is asked it once, and it is kept for the next booking and the warnings.

Voice mode: the region and address questions and the read-back are voice notes of their whole
text, as every other step is (compared with the voice of the words, as in
test_everything_speaks).
"""

from __future__ import annotations

from sqlalchemy import select

from bookings.models import Booking
from bot.dialogue.engine import Dialogue
from core.database import SessionFactory
from core.models import Person
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.conversation.talk import onboarded, say
from tests.conversation.test_everything_speaks import _heard_in_full
from voice.service import Voice

HOME = "улица Абая 10, квартира 5"


async def test_a_voice_mode_booking_speaks_where_and_the_warning_sign_up_offers_the_region(
    telegram: SandboxClient, dialogue: Dialogue, voice: Voice, sessions: SessionFactory
) -> None:
    user = await telegram.add_user("Bakyt", language_code="ru")
    await say(user, "/start")
    await say(user, "2")  # Русский
    await say(user, "2")  # answers by voice
    await say(user, "4")  # hard of hearing
    await say(user, "готово")
    await say(user, "готово")  # the region is not given in onboarding

    (region,) = await say(user, "запишите сурдопереводчика на завтра в 10 на 2 часа")
    assert message_text(region).startswith("Шаг 3 из 5. Где вы живёте?"), message_text(region)
    await _heard_in_full(user, voice, region, Language.RU, dialogue)
    (address,) = await say(user, "Шымкент")
    assert message_text(address).startswith("Шаг 4 из 5. Куда к вам прийти?")
    await _heard_in_full(user, voice, address, Language.RU, dialogue)
    (read_back,) = await say(user, HOME)
    assert message_text(read_back).startswith("Шаг 5 из 5.")
    assert f"Где: город Шымкент, {HOME}" in message_text(read_back).splitlines()
    spoken = await _heard_in_full(user, voice, read_back, Language.RU, dialogue)
    assert HOME in spoken
    (done,) = await say(user, "да")
    assert message_text(done).startswith("Записал: Переводчик жестового языка")
    async with sessions() as session:
        (booked,) = (await session.scalars(select(Booking))).all()
        person = await session.scalar(select(Person).where(Person.telegram_id == user.user_id))
    assert booked.address == HOME and booked.provider_id == "shymkent-deaf-society"
    assert person is not None and person.region == "79"

    (consent,) = await say(user, "/alerts")
    assert message_text(consent).startswith("Шаг 1 из 4."), message_text(consent)
    (offered,) = await say(user, "да")
    assert message_text(offered).startswith("Шаг 2 из 4. Я думаю, это город Шымкент. Верно?")
    (channels,) = await say(user, "да")
    assert message_text(channels).startswith("Регион: город Шымкент"), message_text(channels)


async def test_a_bad_address_gets_a_clear_message_and_the_question_again(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "en", kinds="3, 4")
    await say(user, "book a sign language interpreter for tomorrow at 10 for 1 hour")
    await say(user, "Astana")
    empty = await say(user, "...", 2)  # the problem, then the question again
    assert message_text(empty[0]) == "I do not see an address here."
    assert message_text(empty[1]).startswith("Where should they come?")
    long = await say(user, "Abay street " + "1" * 400, 2)
    assert message_text(long[0]).startswith("This address is too long.")
    assert "300 characters" in message_text(long[0])
    read_back = await say(user, "Abay street 10", 3)
    assert "Where: Astana, Abay street 10" in message_text(read_back[1]).splitlines()
