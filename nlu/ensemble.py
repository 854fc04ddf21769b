"""The intent model: TF-IDF and sentence embeddings blended, with calibrated confidence.

TF-IDF over n-grams knows the words and typos it was shown; a multilingual sentence embedding
places unseen paraphrases near the examples they mean. The two models' log-probabilities are
blended with a weight and divided by a temperature, both fitted on predictions each model made
for training examples held out of its fold (cross-validation), never on a test set. Without an
embedder the TF-IDF model runs alone, with a temperature of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import structlog
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from nlu.calibration import (
    Matrix,
    expected_calibration_error,
    fit_temperature,
    log_probabilities,
    softmax,
)
from nlu.classifier import IntentClassifier, Ranked, ranked
from nlu.embedding import Embedder, Vectors

log = structlog.get_logger(__name__)
FOLDS = 3
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
"""TF-IDF's share in the blend, tried in turn; the one with the best held-out likelihood wins."""
SURE = (0.8, 0.85, 0.9, 0.95, 0.97, 0.99)
"""Candidate thresholds for answering from TF-IDF alone, lowest first."""
NO_BETTER = 0.002
"""Above the chosen threshold the ensemble may be right this much more often, no more."""


class EmbeddingHead:
    """Logistic regression on standardised sentence embeddings."""

    def __init__(self, model: Pipeline) -> None:
        self._model = model
        self.classes = [str(c) for c in model.classes_]

    @classmethod
    def train(cls, vectors: Vectors, intents: Sequence[str]) -> EmbeddingHead:
        model = Pipeline(
            [("scale", StandardScaler()), ("model", LogisticRegression(C=0.5, max_iter=1000))]
        )
        model.fit(vectors, list(intents))
        return cls(model)

    def probabilities(self, vectors: Vectors) -> Matrix:
        return np.asarray(self._model.predict_proba(vectors), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Calibration:
    """How the ensemble's scores are turned into confidences, and how well that held out."""

    tfidf_temperature: float
    weight: float | None = None
    """TF-IDF's share in the blend; None when there is no embedding head."""
    temperature: float | None = None
    held_out: dict[str, float] | None = None
    """Cross-validated figures on the training data: accuracy and ECE before and after."""
    sure: float | None = None
    """TF-IDF's calibrated confidence from which the embedder is not asked: above it, held-out
    training examples were read no better by the ensemble. None: always ask."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def blend_scores(tfidf: Matrix, embedded: Matrix, weight: float) -> Matrix:
    result: Matrix = weight * log_probabilities(tfidf) + (1 - weight) * log_probabilities(embedded)
    return result


class IntentModel:
    """Ranks intents for a message; uses the embedder when one is attached and matches."""

    def __init__(
        self,
        tfidf: IntentClassifier,
        head: EmbeddingHead | None,
        calibration: Calibration,
        embedder_name: str | None,
    ) -> None:
        self.tfidf = tfidf
        self.head = head
        self.calibration = calibration
        self.embedder_name = embedder_name
        self._embedder: Embedder | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_embedder"] = None  # a loaded native model is not pickled; attach() after loading
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def attach(self, embedder: Embedder | None) -> None:
        """Use this embedder if the head was trained on its vectors; otherwise TF-IDF alone."""
        usable = self.head is not None and embedder is not None
        matches = embedder is not None and embedder.name == self.embedder_name
        self._embedder = embedder if usable and matches else None

    @property
    def kind(self) -> str:
        return "tfidf+embedding" if self._embedder is not None else "tfidf"

    @property
    def classes(self) -> list[str]:
        return self.tfidf.classes

    def probabilities(self, texts: Sequence[str]) -> Matrix:
        """Calibrated intent probabilities, one row per text."""
        tfidf = self.tfidf.probabilities(texts)
        calibration = self.calibration
        alone = softmax(log_probabilities(tfidf) / calibration.tfidf_temperature)
        if self._embedder is None or self.head is None:
            return alone
        assert calibration.weight is not None and calibration.temperature is not None
        sure = calibration.sure if calibration.sure is not None else 2.0
        unsure = np.flatnonzero(alone.max(axis=1) < sure)
        if not len(unsure):
            return alone
        try:
            vectors = self._embedder.embed([texts[int(i)] for i in unsure])
        except (OSError, RuntimeError, ValueError) as error:
            log.warning("nlu.embedder_failed", error=type(error).__name__)
            return alone
        embedded = self.head.probabilities(vectors)
        scores = blend_scores(tfidf[unsure], embedded, calibration.weight)
        alone[unsure] = softmax(scores / calibration.temperature)
        return alone

    def rank(self, text: str, top: int = 3) -> list[Ranked]:
        """The `top` likeliest intents, best first, with calibrated confidence."""
        return ranked(self.classes, self.probabilities([text])[0], top)


def _figures(probabilities: Matrix, labels: NDArray[np.intp]) -> tuple[float, float]:
    best = probabilities.argmax(axis=1)
    correct = (best == labels).tolist()
    confidence = probabilities.max(axis=1).tolist()
    return float(np.mean(correct)), expected_calibration_error(confidence, correct)


def calibrate(tfidf: Matrix, embedded: Matrix | None, labels: NDArray[np.intp]) -> Calibration:
    """Blend weight and temperatures from held-out (cross-validated) probabilities."""
    tfidf_scores = log_probabilities(tfidf)
    tfidf_temperature, _ = fit_temperature(tfidf_scores, labels)
    accuracy, ece = _figures(tfidf, labels)
    _, ece_after = _figures(softmax(tfidf_scores / tfidf_temperature), labels)
    held_out = {"tfidf_accuracy": accuracy, "tfidf_ece_raw": ece, "tfidf_ece": ece_after}
    if embedded is None:
        return Calibration(tfidf_temperature, held_out=_rounded(held_out))
    fits = []
    for weight in WEIGHTS:
        temperature, nll = fit_temperature(blend_scores(tfidf, embedded, weight), labels)
        fits.append((nll, weight, temperature))
    _, weight, temperature = min(fits)
    blended = blend_scores(tfidf, embedded, weight)
    held_out["embedding_accuracy"] = _figures(embedded, labels)[0]
    held_out["ensemble_accuracy"], held_out["ensemble_ece_raw"] = _figures(softmax(blended), labels)
    ensemble = softmax(blended / temperature)
    held_out["ensemble_ece"] = _figures(ensemble, labels)[1]
    alone = softmax(tfidf_scores / tfidf_temperature)
    sure = _sure(alone, ensemble, labels)
    if sure is not None:
        skipped = alone.max(axis=1) >= sure
        cascade = np.where(skipped[:, None], alone, ensemble)
        held_out["embedder_skipped"] = float(skipped.mean())
        held_out["cascade_accuracy"], held_out["cascade_ece"] = _figures(cascade, labels)
    return Calibration(tfidf_temperature, weight, temperature, _rounded(held_out), sure)


def _sure(alone: Matrix, ensemble: Matrix, labels: NDArray[np.intp]) -> float | None:
    """The lowest threshold above which TF-IDF alone reads held-out examples as well."""
    confidence = alone.max(axis=1)
    alone_right = alone.argmax(axis=1) == labels
    ensemble_right = ensemble.argmax(axis=1) == labels
    for threshold in SURE:
        above = confidence >= threshold
        if above.any() and ensemble_right[above].mean() - alone_right[above].mean() <= NO_BETTER:
            return threshold
    return None


def _rounded(figures: dict[str, float]) -> dict[str, float]:
    return {name: round(value, 4) for name, value in figures.items()}


def train_intent_model(
    texts: Sequence[str],
    intents: Sequence[str],
    vectors: Vectors | None = None,
    embedder_name: str | None = None,
    folds: int = FOLDS,
) -> IntentModel:
    """Cross-validated probabilities first (for the calibration), then the models on all data."""
    classes = sorted(set(intents))
    labels = np.array([classes.index(intent) for intent in intents], dtype=np.intp)
    held_tfidf = np.zeros((len(texts), len(classes)))
    held_embedded = None if vectors is None else np.zeros((len(texts), len(classes)))
    # One BLAS/OpenMP thread: on a shared two-core machine more threads only wait on each other.
    with threadpool_limits(limits=1):
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        for part, (fit_rows, held_rows) in enumerate(splits.split(np.zeros(len(labels)), labels)):
            log.info("nlu.calibration_fold", fold=part + 1, of=folds)
            fold_texts = [texts[i] for i in fit_rows]
            fold_intents = [intents[i] for i in fit_rows]
            model = IntentClassifier.train(fold_texts, fold_intents)
            held_tfidf[held_rows] = model.probabilities([texts[i] for i in held_rows])
            if vectors is not None and held_embedded is not None:
                head = EmbeddingHead.train(vectors[fit_rows], fold_intents)
                held_embedded[held_rows] = head.probabilities(vectors[held_rows])
        calibration = calibrate(held_tfidf, held_embedded, labels)
        tfidf = IntentClassifier.train(texts, intents)
        full_head = None if vectors is None else EmbeddingHead.train(vectors, intents)
    assert tfidf.classes == classes and (full_head is None or full_head.classes == classes)
    log.info("nlu.calibrated", **calibration.to_json())
    return IntentModel(tfidf, full_head, calibration, embedder_name if full_head else None)
