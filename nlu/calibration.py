"""Calibrated confidence: when the model says 0.8, it should be right about 8 times in 10.

Temperature scaling divides the log-probabilities by one number fitted on predictions the model
made for examples it was not trained on (cross-validation folds of the training data, never a
test set). The reliability curve and the expected calibration error (ECE) show how well
confidence and observed accuracy agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar

Matrix = NDArray[np.float64]
FLOOR = 1e-12
"""Probabilities are floored before the logarithm: a model's zero is never certain."""


def log_probabilities(probabilities: NDArray[np.floating]) -> Matrix:
    return np.log(np.clip(probabilities.astype(np.float64), FLOOR, 1.0))


def softmax(scores: Matrix) -> Matrix:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exponents = np.exp(shifted)
    result: Matrix = exponents / exponents.sum(axis=1, keepdims=True)
    return result


def negative_log_likelihood(scores: Matrix, labels: NDArray[np.intp], temperature: float) -> float:
    scaled = scores / temperature
    shifted = scaled - scaled.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    picked = shifted[np.arange(len(labels)), labels]
    return float(np.mean(log_norm - picked))


def fit_temperature(scores: Matrix, labels: NDArray[np.intp]) -> tuple[float, float]:
    """The temperature (0.05–20) that minimises the negative log-likelihood, and that NLL."""
    result = minimize_scalar(
        lambda log_t: negative_log_likelihood(scores, labels, math.exp(log_t)),
        bounds=(math.log(0.05), math.log(20.0)),
        method="bounded",
    )
    temperature = math.exp(float(result.x))
    return temperature, negative_log_likelihood(scores, labels, temperature)


@dataclass(frozen=True, slots=True)
class Bin:
    """One confidence band of a reliability curve."""

    lower: float
    upper: float
    count: int
    confidence: float
    """Mean predicted confidence of the messages in the bin."""
    accuracy: float
    """Share of them whose predicted intent was right."""


def reliability(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> list[Bin]:
    """Equal-width confidence bins (empty ones left out), each with its observed accuracy."""
    result: list[Bin] = []
    for index in range(bins):
        lower, upper = index / bins, (index + 1) / bins
        members = [
            (c, ok)
            for c, ok in zip(confidences, correct, strict=True)
            if lower < c <= upper or (index == 0 and c == 0.0)
        ]
        if members:
            result.append(
                Bin(
                    lower,
                    upper,
                    len(members),
                    sum(c for c, _ in members) / len(members),
                    sum(ok for _, ok in members) / len(members),
                )
            )
    return result


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """The bins' |accuracy − confidence|, weighted by how many messages each holds."""
    total = len(confidences)
    if not total:
        return 0.0
    return sum(
        b.count / total * abs(b.accuracy - b.confidence)
        for b in reliability(confidences, correct, bins)
    )
