"""Issue 20, finding 5: a shared place answers the region question of onboarding and of "Change
my region" (its region from the outlines, confirmed with a yes; a place outside Kazakhstan gets a
clear message and the list again), and a change of region moves the person's own place on the
warning list. The real bot, through the sandbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts.registry.importer import import_registry
from bot.dialogue.engine import Dialogue
from core.database import SessionFactory
from core.models import AuditEntry
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.alerts.registry_lists import write
from tests.bot.booking_talk import person_of, say, texts
from tests.bot.test_alert_subscription import onboarded, registrant_of
from tests.bot.test_region_and_address import until_kinds
from tests.conversation.test_everything_speaks import _heard_in_full
from voice.service import Voice

SHYMKENT = (42.317, 69.596)
ASTANA = (51.128, 71.430)
ALMATY = (43.238, 76.945)
MOSCOW = (55.756, 37.617)
LISTED = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "skip_kinds", "outside", "confirm", "no", "yes", "saved"),
    [
        ("1", "дайын", "Бұл жер Қазақстанда емес.",
         "4-қадам, барлығы 4. Менің ойымша, бұл – Шымкент қаласы. Дұрыс па?", "жоқ", "press",
         "Сақталды: Шымкент қаласы."),
        ("2", "готово", "Это место не в Казахстане.",
         "Шаг 4 из 4. Я думаю, это город Шымкент. Верно?", "нет", "да",
         "Сохранено: город Шымкент."),
        ("3", "done", "This place is not in Kazakhstan.",
         "Step 4 of 4. I think this is Shymkent. Is that right?", "2", "yes",
         "Saved: Shymkent."),
    ],
)  # fmt: skip
async def test_onboarding_takes_a_shared_place_for_a_yes(
    telegram: SandboxClient,
    sessions: SessionFactory,
    language: str,
    skip_kinds: str,
    outside: str,
    confirm: str,
    no: str,
    yes: str,
    saved: str,
) -> None:
    """A place outside Kazakhstan: a clear message, then the region list again. A place in
    Shymkent: "I think this is Shymkent. Is that right?"; no shows the list, yes saves it."""
    user = await until_kinds(telegram, language)
    await say(user, skip_kinds, 2)
    await user.share_location(*MOSCOW)
    away = await user.wait_for_bot_messages(3, timeout=60)
    assert message_text(away[0]) == outside
    assert len(button_texts(away[-1])) == 21, "the list again"
    await user.share_location(*SHYMKENT)
    (asked,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(asked).startswith(confirm), message_text(asked)
    assert len(button_texts(asked)) == 2
    listed = await say(user, no, 2)
    assert len(button_texts(listed[-1])) == 21, "a no shows the list again"
    assert (await person_of(sessions, user)).region is None
    await user.share_location(*SHYMKENT)
    (asked,) = await user.wait_for_bot_messages(1, timeout=60)
    if yes == "press":
        await user.press(button_texts(asked)[0])
        done = await user.wait_for_bot_messages(3, timeout=60)
    else:
        done = await say(user, yes, 3)
    assert message_text(done[0]) == saved
    person = await person_of(sessions, user)
    assert person.region == "79" and person.onboarded_at is not None


async def test_a_blind_person_hears_the_region_of_the_place_they_shared(
    telegram: SandboxClient, dialogue: Dialogue, voice: Voice, sessions: SessionFactory
) -> None:
    """Voice mode: the question about the shared place is a voice note of its words and its
    choices; a spoken "да" saves the region."""
    user = await telegram.add_user("Gulnar")
    await say(user, "/start")
    await say(user, "2")  # Русский
    await say(user, "2")  # answers by voice
    await say(user, "готово")
    await user.share_location(*ASTANA)
    (asked,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(asked).startswith("Шаг 4 из 4. Я думаю, это город Астана. Верно?")
    spoken = await _heard_in_full(user, voice, asked, Language.RU, dialogue)
    assert "город Астана" in spoken
    done = await say(user, "да")
    assert message_text(done[0]).startswith("Сохранено: город Астана.")
    assert (await person_of(sessions, user)).region == "71"


async def test_change_my_region_by_a_shared_place_moves_the_warning_registration(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    """On the warning list from the bot (by a place in Almaty), then "Change my region" with a
    place in Astana: a yes moves the person and their registration, whose old point goes; the
    change is audited without the place."""
    user = await onboarded(telegram, "en")
    await say(user, "warnings")
    await user.press("1. Yes, I agree")
    await user.wait_for_bot_messages(1, timeout=60)
    await user.share_location(*ALMATY)
    (confirm,) = await user.wait_for_bot_messages(1, timeout=60)
    assert "Almaty" in message_text(confirm)
    await say(user, "yes")
    await user.press("1. Telegram only")
    await user.wait_for_bot_messages(1, timeout=60)
    await say(user, "no", 2)
    before = await registrant_of(sessions, user)
    assert before is not None and before.region == "75" and before.latitude is not None
    shown = await say(user, "change my region", 2)
    assert message_text(shown[0]) == "Your region now: Almaty."
    await user.share_location(*MOSCOW)
    away = await user.wait_for_bot_messages(2, timeout=60)
    assert message_text(away[0]) == "This place is not in Kazakhstan."
    assert message_text(away[1]).startswith("Where do you live now?")
    assert len(button_texts(away[1])) == 21
    await user.share_location(*ASTANA)
    (asked,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(asked).startswith("I think this is Astana. Is that right?")
    saved = await say(user, "yes", 2)
    assert message_text(saved[0]).startswith("Saved. Your region is now Astana.")
    assert message_text(saved[1]) == "Danger warnings now come for Astana."
    assert (await person_of(sessions, user)).region == "71"
    after = await registrant_of(sessions, user)
    assert after is not None and after.region == "71"
    assert after.latitude is None and after.longitude is None
    async with sessions() as session:
        audited = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "alerts.region_changed")
            )
        ).all()
    assert [entry.subject for entry in audited] == [f"registrant:{after.id}"]
    assert "71" not in str(audited[0].details)


@pytest.mark.parametrize(
    ("language", "skip", "change", "yes", "moved", "tell_office"),
    [
        ("1", "келесі", "аймақты өзгерту", "иә",
         "Қауіп туралы ескертулер енді Шымкент қаласы үшін келеді.",
         "Әлеуметтік қорғау бөлімінің тізімінде әлі бұрынғы аймағыңыз тұр."),
        ("2", "дальше", "сменить регион", "да",
         "Об опасности теперь пишу для места: город Шымкент.",
         "В списке отдела соцзащиты у вас пока старый регион."),
        ("3", "done", "change my region", "yes", "Danger warnings now come for Shymkent.",
         "Your social services office still has your old region on its list."),
    ],
)  # fmt: skip
async def test_a_registration_from_the_official_list_follows_the_person_and_stays(
    telegram: SandboxClient,
    sessions: SessionFactory,
    tmp_path: Path,
    language: str,
    skip: str,
    change: str,
    yes: str,
    moved: str,
    tell_office: str,
) -> None:
    """Staff imported the person's chat with Almaty. They say in the bot they live in Shymkent:
    warnings follow (their own latest word), they are asked to tell their office, and the next
    import of the same, older list keeps Shymkent and shows staff the line."""
    user = await until_kinds(telegram, language)
    await say(user, skip, 2)
    await say(user, "Алматы", 3)
    office_list = write(
        tmp_path / "list.csv",
        ["Телеграм;Вид инвалидности;Язык;Область", f"{user.user_id};глухой;ru;Алматы"],
    )
    imported = await import_registry(
        sessions, office_list, actor="staff:anna", now=LISTED, consent_version="2025-1"
    )
    assert imported.imported == 1
    await say(user, change, 2)
    await say(user, "Шымкент")
    saved = texts(await say(user, yes, 3))
    assert moved in saved and tell_office in saved, saved
    registrant = await registrant_of(sessions, user)
    assert registrant is not None
    assert (registrant.region, registrant.region_source, registrant.list_region) == (
        "79",
        "bot",
        "75",
    )
    again = await import_registry(
        sessions, office_list, actor="staff:anna", now=LISTED, consent_version="2025-1"
    )
    assert [(kept.line, kept.field) for kept in again.regions_kept] == [(2, "region")]
    after = await registrant_of(sessions, user)
    assert after is not None and after.region == "79"
    assert (await person_of(sessions, user)).region == "79"
