"""The catalog, texts and providers files: complete, consistent, and seeded idempotently."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bookings.catalog import load_catalog
from bookings.errors import ERROR_KEYS, UnknownService
from bookings.lifecycle import STATUSES
from bookings.models import Provider
from bookings.providers import load_providers, seed_providers
from core.database import SessionFactory
from core.i18n import Catalogs
from core.profile import LANGUAGES, Language

CATALOG = load_catalog()
TEXTS = Catalogs.load()


def test_catalog_has_the_five_services_with_the_documented_limits() -> None:
    ids = [service.id for service in CATALOG.services]
    assert ids == [
        "sign_interpreter",
        "personal_assistant",
        "social_taxi",
        "sanatorium",
        "disability_assessment",
    ]
    interpreter = CATALOG.get("sign_interpreter")
    assert (interpreter.min_hours, interpreter.max_hours) == (1, 8)
    assert interpreter.yearly_quota_hours == 60
    assert len(CATALOG.get("social_taxi").destinations) == 8
    assert not CATALOG.get("sanatorium").has_slots
    assert CATALOG.cancel_cutoff_minutes == 120
    with pytest.raises(UnknownService):
        CATALOG.get("spaceship")


def test_every_key_has_a_text_in_every_language() -> None:
    """The domain's keys are in the interface catalogs (core/locales) in kk, ru and en."""
    needed = set(CATALOG.keys()) | set(ERROR_KEYS)
    needed |= {f"booking.event.{status}" for status in STATUSES}
    needed |= {f"booking.event.untimed.{s}" for s in STATUSES if s != "no_show"}
    needed |= {f"booking.status.{status}" for status in STATUSES}
    needed |= {"booking.reminder.day_before", "booking.reminder.hour_before"}
    for language in LANGUAGES:
        assert needed <= TEXTS.keys(language), language


def test_a_text_is_filled_in() -> None:
    text = TEXTS.text(Language.EN, "booking.error.quota_exceeded", remaining=4, year=2026)
    assert text == "Not booked. You have 4 interpreter hours left for 2026."


async def test_shipped_providers_cover_the_three_cities_and_seed_once(
    sessions: SessionFactory,
) -> None:
    specs = load_providers()
    assert {spec.region for spec in specs} >= {"71", "75", "79"}
    offered = {service for spec in specs for service in spec.services}
    assert offered == {service.id for service in CATALOG.services}
    async with sessions.begin() as session:
        assert await seed_providers(session, specs) == len(specs)
    async with sessions.begin() as session:
        assert await seed_providers(session, specs) == 0
        count = await session.scalar(select(func.count()).select_from(Provider))
    assert count == len(specs)
