"""Evaluation metrics as plain functions: SciFact abstract-level label-only P/R/F1,
accuracy and macro-F1, expected calibration error."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from synth.core.errors import SynthError


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def prf(correct: int, predicted: int, gold: int) -> PRF:
    """Precision, recall and F1 from counts (each 0 when its denominator is).

    Args:
        correct: Predictions that were right.
        predicted: Predictions made.
        gold: Gold items there were to find.

    Returns:
        The three figures.
    """
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def abstract_label_only(
    gold: Mapping[str, Mapping[str, str]], predicted: Mapping[str, Mapping[str, str]]
) -> PRF:
    """A predicted (claim, doc, label) is correct when the doc is gold evidence for the
    claim with that label (Wadden et al. 2020)."""
    n_pred = sum(len(docs) for docs in predicted.values())
    n_gold = sum(len(docs) for docs in gold.values())
    correct = sum(
        1
        for claim, docs in predicted.items()
        for doc, label in docs.items()
        if gold.get(claim, {}).get(doc) == label
    )
    return prf(correct, n_pred, n_gold)


def _paired(gold: Sequence[str], predicted: Sequence[str]) -> None:
    if len(gold) != len(predicted) or not gold:
        raise SynthError(
            f"{len(gold)} gold and {len(predicted)} predicted labels",
            "give one prediction per gold label, at least one",
        )


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    _paired(gold, predicted)
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def per_class(
    gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, PRF]:
    _paired(gold, predicted)
    pairs = list(zip(gold, predicted, strict=True))
    return {
        c: prf(
            sum(g == p == c for g, p in pairs),
            sum(p == c for _, p in pairs),
            sum(g == c for g, _ in pairs),
        )
        for c in classes
    }


def macro_f1(gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> float:
    """Mean F1 over ``classes``; a class never gold nor predicted counts as F1 0
    (scikit-learn's zero_division=0)."""
    if not classes:
        raise SynthError("no classes to average F1 over", "pass the label set, e.g. CLASSES")
    scores = per_class(gold, predicted, classes)
    return sum(s.f1 for s in scores.values()) / len(classes)


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    confidence: float
    accuracy: float


def reliability(
    confidence: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> list[CalibrationBin]:
    """Equal-width bins (i/bins, (i+1)/bins]; 0 goes to the first. Empty bins are left out."""
    if len(confidence) != len(correct) or not confidence:
        raise SynthError(
            f"{len(confidence)} confidences and {len(correct)} outcomes",
            "give one outcome per confidence, at least one",
        )
    if bins < 1:
        raise SynthError(f"{bins} calibration bins", "use at least one bin")
    if any(not 0.0 <= c <= 1.0 for c in confidence):
        raise SynthError("a confidence lies outside [0, 1]", "pass probabilities")
    members: list[list[int]] = [[] for _ in range(bins)]
    for i, c in enumerate(confidence):
        # ceil(c * bins) - 1, rounded first so 0.7 * 10 = 7.000000000000001 stays in bin 6
        index = max(0, min(bins - 1, math.ceil(round(c * bins, 9)) - 1))
        members[index].append(i)
    return [
        CalibrationBin(
            b / bins,
            (b + 1) / bins,
            len(idx),
            sum(confidence[i] for i in idx) / len(idx),
            sum(bool(correct[i]) for i in idx) / len(idx),
        )
        for b, idx in enumerate(members)
        if idx
    ]


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """Sum over bins of (bin share) x |mean confidence - accuracy|."""
    total = len(confidence)
    return sum(
        b.count / total * abs(b.confidence - b.accuracy)
        for b in reliability(confidence, correct, bins)
    )


def auroc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the chance that a random positive scores above a random
    negative (ties count half). None when either class is absent."""
    if len(scores) != len(positive):
        raise SynthError(
            f"{len(scores)} scores and {len(positive)} outcomes", "give one outcome per score"
        )
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return None
    ranked = sorted((s, i) for i, s in enumerate(scores))
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(ranked):  # average ranks over ties
        end = start
        while end + 1 < len(ranked) and ranked[end + 1][0] == ranked[start][0]:
            end += 1
        for j in range(start, end + 1):
            ranks[ranked[j][1]] = (start + end) / 2 + 1
        start = end + 1
    pos_ranks = sum(r for r, p in zip(ranks, positive, strict=True) if p)
    return (pos_ranks - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def bootstrap_interval(
    statistic: Callable[[Sequence[int]], float], size: int, draws: int = 1000,
    level: float = 0.9, seed: int = 0,
) -> tuple[float, float]:  # fmt: skip
    """The percentile bootstrap interval of a statistic over ``size`` items: ``statistic``
    is given a resample of the item indices (drawn with replacement, ``draws`` times) and
    the interval holds the middle ``level`` of its values. Pass a statistic that compares
    two systems on the same resample for a paired interval of their difference.

    Args:
        statistic: A figure computed from item indices (e.g. macro-F1 of those claims).
        size: How many items there are.
        draws: How many resamples.
        level: The share of the resampled values the interval holds.
        seed: The seed of the resampling.

    Returns:
        (low, high).
    """
    if size <= 0 or draws <= 0 or not 0.0 < level < 1.0:
        raise SynthError(
            f"no bootstrap interval for {size} items, {draws} draws at level {level}",
            "give at least one item and one draw, and a level between 0 and 1",
        )
    rng = random.Random(seed)
    values = sorted(statistic([rng.randrange(size) for _ in range(size)]) for _ in range(draws))
    tail = (1.0 - level) / 2.0
    low = values[min(draws - 1, math.floor(tail * draws))]
    high = values[max(0, math.ceil((1.0 - tail) * draws) - 1)]
    return low, high
