"""Builds the dialogue and its services from one Settings object. Nothing is built at import."""

from __future__ import annotations

from bot.dialogue.context import Services
from bot.dialogue.engine import Dialogue
from bot.dialogue.flood import FloodGuard
from bot.dialogue.vocabulary import Vocabulary
from core.clock import Clock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.people import People
from core.profile import Language
from core.settings import Settings


def build_dialogue(settings: Settings, sessions: SessionFactory, clock: Clock) -> Dialogue:
    services = Services(
        catalogs=Catalogs.load(), vocabulary=Vocabulary.load(), people=People(clock), clock=clock
    )
    flood = FloodGuard(clock, limit=settings.flood_messages, window=settings.flood_window_seconds)
    return Dialogue(sessions, services, flood, default_language=Language(settings.default_language))
