"""Builds the dialogue and its services from one Settings object. Nothing is built at import."""

from __future__ import annotations

from alerts.acks import Acks
from bookings.service import BookingService
from bot.dialogue.context import Services
from bot.dialogue.engine import Dialogue
from bot.dialogue.flood import FloodGuard
from bot.dialogue.learning import Learning
from bot.dialogue.vocabulary import Vocabulary
from content.articles import KnowledgeBase
from core.clock import Clock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.people import People
from core.profile import Language
from core.settings import Settings
from nlu.pipeline import NLU, load_models
from nlu.rasa import RasaClient
from voice.factory import build_voice
from voice.service import Voice


def rasa_client(settings: Settings) -> RasaClient | None:
    if not settings.rasa_url:
        return None
    token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
    return RasaClient(settings.rasa_url, timeout=settings.rasa_timeout_seconds, token=token)


def build_dialogue(
    settings: Settings,
    sessions: SessionFactory,
    clock: Clock,
    *,
    nlu: NLU | None = None,
    knowledge: KnowledgeBase | None = None,
    voice: Voice | None = None,
    bookings: BookingService | None = None,
    catalogs: Catalogs | None = None,
) -> Dialogue:
    """The dialogue; the NLU is trained on first start and cached under the data directory."""
    services = Services(
        catalogs=catalogs or Catalogs.load(),
        vocabulary=Vocabulary.load(),
        people=People(clock),
        clock=clock,
        nlu=nlu or NLU(load_models(settings), rasa_client(settings)),
        knowledge=knowledge or KnowledgeBase.load(),
        voice=voice or build_voice(settings),
        bookings=bookings or BookingService(sessions, clock),
        acks=Acks(clock),
        learning=Learning(clock, keep_days=settings.retention_review_days),
    )
    flood = FloodGuard(clock, limit=settings.flood_messages, window=settings.flood_window_seconds)
    return Dialogue(sessions, services, flood, default_language=Language(settings.default_language))
