"""Intent classifier: TF-IDF over character and word n-grams, and a linear model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.text import fold


@dataclass(frozen=True, slots=True)
class Ranked:
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

    def rank(self, text: str, top: int = 3) -> list[Ranked]:
        """The `top` likeliest intents, best first."""
        probabilities = self._pipeline.predict_proba([fold(text)])[0]
        order = np.argsort(probabilities)[::-1][:top]
        return [Ranked(self._classes[i], float(probabilities[i])) for i in order]
