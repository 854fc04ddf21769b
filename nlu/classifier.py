"""Intent classifier: TF-IDF over character and word n-grams, and a linear model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.text import fold


@dataclass(frozen=True, slots=True)
class Ranked:
    """An intent and the classifier's confidence in it."""

    intent: str
    confidence: float


def build_pipeline() -> Pipeline:
    """An untrained pipeline: character n-grams catch typos and Kazakh endings, words the rest."""
    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ]
    )
    return Pipeline([("features", features), ("model", LogisticRegression(C=30.0, max_iter=3000))])


class IntentClassifier:
    """Trained once on (text, intent) pairs; ranks intents for a message."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self._classes: list[str] = [str(c) for c in pipeline.classes_]

    @classmethod
    def train(cls, texts: Sequence[str], intents: Sequence[str]) -> IntentClassifier:
        pipeline = build_pipeline()
        pipeline.fit([fold(text) for text in texts], list(intents))
        return cls(pipeline)

    @property
    def classes(self) -> list[str]:
        """The intents, in the order of the probability columns."""
        return list(self._classes)

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """One row of intent probabilities per text (uncalibrated)."""
        return np.asarray(self._pipeline.predict_proba([fold(text) for text in texts]))

    def rank(self, text: str, top: int = 3) -> list[Ranked]:
        """The `top` likeliest intents, best first."""
        return ranked(self._classes, self.probabilities([text])[0], top)


def ranked(classes: Sequence[str], probabilities: NDArray[np.float64], top: int) -> list[Ranked]:
    order = np.argsort(probabilities)[::-1][:top]
    return [Ranked(classes[i], float(probabilities[i])) for i in order]
