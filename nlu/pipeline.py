"""The NLU: language, emergency layer, intent and entities for one message."""

from __future__ import annotations

import asyncio
import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import structlog

from core.profile import Language
from core.settings import Settings
from nlu.classifier import Ranked
from nlu.embedding import Embedder, VectorStore, load_embedder
from nlu.ensemble import IntentModel, train_intent_model
from nlu.entities import Entity, EntityExtractor
from nlu.language import LanguageIdentifier
from nlu.rasa import RasaClient
from nlu.safety import Safety, assess
from nlu.script import for_the_model
from nlu.text import fold
from nlu.training_data import DATA_DIR, TrainingData, load_directory

log = structlog.get_logger(__name__)
EMERGENCY = "emergency_help"
SAFE = "report_safe"
SMALL_TALK = frozenset(
    {"out_of_scope", "affirm", "deny", "greet", "thanks", "goodbye", "slower", "faster", "repeat"}
)
"""Intents a clear "I'm safe" outweighs ("иә, қауіпсіздемін" is an answer, not a "yes"; "vse
horosho" is not "slower")."""
UNSURE_MODEL = 0.6
"""Below this the classifier's guess does not outweigh a clear "I'm safe" ("qauipsizbin" read as
a call for help at 0.28 because its words look like "qauipsiz emespin")."""
UNCLEAR_SAFETY = "safety_unclear"
"""Not a trained intent: a safety answer that does not say whether the person is safe."""
YES_OR_NO = frozenset({"affirm", "deny"})
"""A yes or a no in any words ("nope, not at all", "вообще нет"): to a warning that asks for
1 (safe) or 2 (help), it says neither, so the person is asked, as the dialogue does."""
CONFIDENT = 0.45
"""Below this the dialogue asks which of the likeliest topics was meant."""
MODEL_FORMAT = 4
BUNDLED: Literal["bundled"] = "bundled"
"""Use the embedder that ships with the packages when it loads here."""
BOOK = "book_service"
SERVICE_INFO = frozenset(
    {"sign_interpreter_info", "personal_assistant_info", "social_taxi_info", "sanatorium_info"}
)
_BOOKING_VERB = re.compile(
    r"\b(?:book|order|reserve|schedule|запиш\w*|закаж\w*|заказ\w*|заброниру\w*|оформ\w*|"
    r"жазыныз|жазып беринизш?и?|тапсырыс бер\w*|брондан?\w*)\b"
)
_HOW_MUCH = re.compile(
    r"\b(?:ho?w\s+(?:man[iy]|men[iy]|mn[iy]|mani|muc?h|mch)|скольк\w*|сколк\w*|скока|канша|неше)\b"
)
"""'How many hours can I book?' asks about the service: a question of quantity, typos and all."""
_HOW_TO = re.compile(r"\b(?:how|как|калай)\b(?!\s+можно\s+скорее)")
"""'How do I order a social taxi?' asks how the service works; 'as soon as possible' does not."""


@dataclass(frozen=True, slots=True)
class Parse:
    """One message understood: language, intent and confidence, entities, danger and safety."""

    text: str
    language: Language
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    ranking: tuple[Ranked, ...] = ()
    danger: str | None = None
    safety: Safety | None = None
    reasons: tuple[str, ...] = ()

    @property
    def confident(self) -> bool:
        return self.intent == EMERGENCY or self.confidence >= CONFIDENT

    def entity(self, name: str) -> str | None:
        return next((e.value for e in self.entities if e.entity == name), None)

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "lang": self.language.value,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "entities": [{"entity": e.entity, "value": e.value} for e in self.entities],
            "safety": self.safety.value if self.safety else None,
            "danger": self.danger,
            "why": list(self.reasons),
        }


@dataclass(slots=True)
class Models:
    """Everything trained from the data, cached on disk keyed by the data's fingerprint."""

    fingerprint: str
    intents: IntentModel
    languages: LanguageIdentifier
    synonyms: dict[str, str] = field(default_factory=dict)
    format: int = MODEL_FORMAT


def train(
    data: TrainingData, embedder: Embedder | None = None, cache_dir: Path | None = None
) -> Models:
    """Train on the data; with an embedder, the ensemble (its vectors kept in `cache_dir`)."""
    texts = [example.text for example in data.examples]
    read = [for_the_model(example.text, example.language) for example in data.examples]
    vectors = None
    if embedder is not None:
        store = VectorStore(cache_dir, embedder) if cache_dir is not None else None
        vectors = store.embed(read) if store is not None else embedder.embed(read)
    intents = train_intent_model(
        read,
        [e.intent for e in data.examples],
        vectors,
        embedder.name if embedder is not None else None,
    )
    intents.attach(embedder)
    return Models(
        fingerprint=data.fingerprint,
        intents=intents,
        languages=LanguageIdentifier.train(texts, [e.language for e in data.examples]),
        synonyms=dict(data.synonyms),
    )


def _cached(path: Path, fingerprint: str) -> Models | None:
    with path.open("rb") as handle:
        models = pickle.load(handle)  # noqa: S301 - our own cache, keyed by data hash
    if isinstance(models, Models) and models.fingerprint == fingerprint:
        return models
    return None


def load_or_train(
    cache_dir: Path,
    data_dir: Path = DATA_DIR,
    embedder: Embedder | Literal["bundled"] | None = BUNDLED,
) -> Models:
    """The cached models for this training data, trained and cached on first use.

    The cache is our own file in our data directory, written by this function only. Without an
    embedder (None, or the bundled one failing to load) the TF-IDF model answers alone; a
    cached ensemble then serves its TF-IDF part.
    """
    data = load_directory(data_dir)
    if isinstance(embedder, str):
        embedder = load_embedder()
    kind = embedder.name if embedder is not None else "tfidf"
    prefix = f"nlu-{data.fingerprint}-v{MODEL_FORMAT}-"
    path = cache_dir / f"{prefix}{kind}.pickle"
    candidates = (
        [path] if embedder is not None else [path, *sorted(cache_dir.glob(f"{prefix}*.pickle"))]
    )
    for candidate in candidates:
        models = _cached(candidate, data.fingerprint) if candidate.exists() else None
        if models is not None:
            models.intents.attach(embedder)
            log.info("nlu.model", kind=models.intents.kind, cached=True)
            return models
    log.info("nlu.training", examples=len(data.examples), embedder=kind)
    models = train(data, embedder, cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("wb") as handle:
        pickle.dump(models, handle)
    partial.replace(path)
    log.info("nlu.model", kind=models.intents.kind, cached=False)
    return models


def load_models(settings: Settings) -> Models:
    """The models as the settings ask: under the data directory, with or without the embedder."""
    return load_or_train(
        settings.data_dir / "models", embedder=BUNDLED if settings.nlu_embedder else None
    )


def _asks_to_book(text: str, entities: tuple[Entity, ...]) -> bool:
    """A service named with a booking verb, or with a day or a time, is a booking request;
    "how many …" or "how do I …" with a booking verb and no day is a question ("How many hours
    can I book?", "как заказать социальное такси?").

    Questions about a service rarely name a day; requests for one do. The classifier sees
    words, not this structure, so the rule sits beside it.
    """
    if any(entity.entity == "datetime" for entity in entities):
        return True
    folded = fold(text)
    if _HOW_MUCH.search(folded) or _HOW_TO.search(folded):
        return False
    return _BOOKING_VERB.search(folded) is not None


class NLU:
    """Understands one message: language (profile language when unsure), intent, entities.

    With a Rasa client, intents and entities come from the Rasa server when it answers; the
    language and the emergency layer are always our own.
    """

    def __init__(self, models: Models, rasa: RasaClient | None = None) -> None:
        self._models = models
        self._entities = EntityExtractor(models.synonyms)
        self._rasa = rasa
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")

    async def understand(self, text: str, profile_language: Language) -> Parse:
        """`parse` off the event loop (the embedder takes tens of milliseconds), one at a time."""
        loop = asyncio.get_running_loop()
        local = await loop.run_in_executor(self._worker, self.parse, text, profile_language)
        if self._rasa is None:
            return local
        remote = await self._rasa.parse(text)
        if remote is None:
            return local
        best = remote.ranking[0]
        intent, confidence = _decide(best.intent, best.confidence, local.safety)
        entities = remote.entities or local.entities
        return replace(
            local, intent=intent, confidence=confidence, entities=entities, ranking=remote.ranking
        )

    def language_of(self, text: str, profile_language: Language) -> Language:
        """The message's language; the profile's when unsure."""
        return self._models.languages.identify(text, profile_language)

    def parse(
        self, text: str, profile_language: Language, *, answering_warning: bool = False
    ) -> Parse:
        """One message understood; `answering_warning`: the person has a warning to answer."""
        language = self._models.languages.identify(text, profile_language)
        ranking = tuple(self._models.intents.rank(for_the_model(text, language)))
        assessment = assess(text, answering_warning=answering_warning)
        best = ranking[0]
        intent, confidence = _decide(best.intent, best.confidence, assessment.safety)
        if answering_warning and intent in YES_OR_NO:
            intent, confidence = UNCLEAR_SAFETY, 1.0
        entities = tuple(self._entities.extract(text, language))
        if intent in SERVICE_INFO and _asks_to_book(text, entities):
            intent = BOOK
        return Parse(
            text,
            language,
            intent,
            confidence,
            entities,
            ranking,
            assessment.hazard,
            assessment.safety,
            assessment.judgement.reasons,
        )


def _decide(intent: str, confidence: float, safety: Safety | None) -> tuple[str, float]:
    """The safety judgement over the classifier: only the judgement may say "safe".

    Needs help → `emergency_help`, whatever the model says. Unclear → `safety_unclear`. A
    model's `report_safe` that the judgement does not confirm is unclear too: the person is
    asked rather than recorded as safe.
    """
    if safety is Safety.NEEDS_HELP:
        return EMERGENCY, 1.0
    if safety is Safety.UNCLEAR or (intent == SAFE and safety is not Safety.SAFE):
        return UNCLEAR_SAFETY, 1.0
    if safety is Safety.SAFE and (intent in SMALL_TALK or confidence < UNSURE_MODEL):
        return SAFE, 1.0
    return intent, confidence
