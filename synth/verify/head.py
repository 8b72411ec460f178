"""The verdict head: multinomial logistic regression from a paper's evidence features to
P(SUPPORTED), P(REFUTED), P(NOT_ENOUGH_INFO). Pure numpy.

A handful of weights, fitted on held-out claims of several data sets (``synth models
build`` does it after training), replace hand-set thresholds: how strong the best
entailing and contradicting sentences are, how well the passage as a whole reads, and how
close the paper is to the claim at all. The probabilities it returns are calibrated by
construction (logistic regression fits them by likelihood), so a verdict's label is their
argmax and its confidence their maximum: a label always has at least a third of the mass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from synth.core.errors import SynthError

FloatArray = npt.NDArray[np.float64]
CLASSES = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
_EPS = 1e-4


def logit(p: npt.ArrayLike) -> FloatArray:
    """log(p / (1 - p)), with p kept inside [1e-4, 1 - 1e-4]."""
    q = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    out: FloatArray = np.log(q / (1 - q))
    return out


def _softmax(z: FloatArray) -> FloatArray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


@dataclass(frozen=True)
class Head:
    """Weights (classes x features, the last feature a constant 1) and the feature names
    they were fitted for."""

    features: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]

    def probabilities(self, x: npt.ArrayLike) -> FloatArray:
        """(n, 3) probabilities for (n, len(features)) feature rows."""
        rows = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if rows.shape[1] != len(self.features):
            raise SynthError(
                f"the verdict head expects {len(self.features)} features, got {rows.shape[1]}",
                "fit the verdict calibration again: synth models build",
            )
        w = np.asarray(self.weights, dtype=np.float64)
        return _softmax(_with_bias(rows) @ w.T)

    def as_json(self) -> dict[str, object]:
        return {"features": list(self.features), "weights": [list(r) for r in self.weights]}

    @classmethod
    def from_json(cls, data: object) -> Head:
        try:
            if not isinstance(data, dict):
                raise TypeError("not an object")
            features = tuple(str(f) for f in data["features"])
            weights = tuple(tuple(float(v) for v in row) for row in data["weights"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SynthError(
                "the model's verdict head is malformed", "rebuild it: synth models build"
            ) from exc
        if len(weights) != len(CLASSES) or any(len(r) != len(features) + 1 for r in weights):
            raise SynthError(
                "the model's verdict head has the wrong shape", "rebuild it: synth models build"
            )
        return cls(features, weights)


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow for any z
    return out


def _with_bias(x: FloatArray) -> FloatArray:
    return np.hstack([x, np.ones((len(x), 1))])


def fit_head(
    x: npt.ArrayLike, y: Sequence[int], features: Sequence[str], l2: float = 1.0,
    weights: Sequence[float] | None = None, iterations: int = 50,
) -> Head:  # fmt: skip
    """Fit multinomial logistic regression by Newton's method with an L2 penalty of ``l2``
    on every weight but the biases. ``y`` holds class indices into :data:`CLASSES`;
    ``weights`` (default 1) weigh each row, e.g. to balance data sets."""
    rows = np.atleast_2d(np.asarray(x, dtype=np.float64))
    labels = np.asarray(y, dtype=np.int64)
    if len(rows) == 0 or len(rows) != len(labels) or rows.shape[1] != len(features):
        raise SynthError(
            "the verdict head needs one label per feature row, and at least one row",
            "give held-out verdicts to fit on",
        )
    if labels.min() < 0 or labels.max() >= len(CLASSES):
        raise SynthError("a label lies outside the three classes", "give class indices 0-2")
    sample = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=np.float64)
    if sample.shape != (len(rows),):
        raise SynthError(
            f"{sample.size} row weights for {len(rows)} rows", "give one weight per row"
        )
    xb = _with_bias(rows)
    d = xb.shape[1]
    k = len(CLASSES)
    target = np.eye(k)[labels]
    penalty = np.full(d, l2)
    penalty[-1] = 1e-6  # biases are (almost) free
    w = np.zeros((k, d))
    for _ in range(iterations):
        p = _softmax(xb @ w.T)
        grad = ((p - target) * sample[:, None]).T @ xb + w * penalty
        hess = np.zeros((k * d, k * d))
        for a in range(k):
            for b in range(k):
                coef = sample * p[:, a] * ((a == b) - p[:, b])
                hess[a * d : (a + 1) * d, b * d : (b + 1) * d] = (xb * coef[:, None]).T @ xb
        hess += np.diag(np.tile(penalty, k))
        step = np.linalg.lstsq(hess, grad.reshape(-1), rcond=None)[0].reshape(k, d)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Head(tuple(features), tuple(tuple(float(v) for v in row) for row in w))


@dataclass(frozen=True)
class ConfidenceMap:
    """Platt scaling of a verdict's confidence: P(right) = sigmoid(slope * logit(c) +
    intercept), fitted on how often held-out verdicts of each confidence were right. The
    identity (slope 1, intercept 0) leaves confidences as they are. A label is the most
    likely of three, so no mapped confidence falls below a third: a lower figure would say
    another label is likelier, which the head did not find."""

    slope: float = 1.0
    intercept: float = 0.0

    def __call__(self, confidence: float) -> float:
        z = self.slope * float(logit(confidence)) + self.intercept
        return max(1.0 / 3.0, float(_sigmoid(np.asarray(z))))

    def as_json(self) -> dict[str, float]:
        return {"slope": self.slope, "intercept": self.intercept}

    @classmethod
    def from_json(cls, data: object) -> ConfidenceMap:
        """The map a model's metadata holds; the identity when it holds none (a model
        calibrated before maps were fitted)."""
        if data is None:
            return cls()
        try:
            if not isinstance(data, dict):
                raise TypeError("not an object")
            mapped = cls(float(data["slope"]), float(data["intercept"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise SynthError(
                "the model's confidence map is malformed", "fit it again: synth models calibrate"
            ) from exc
        if not (np.isfinite(mapped.slope) and np.isfinite(mapped.intercept)):
            raise SynthError(
                "the model's confidence map is not finite", "fit it again: synth models calibrate"
            )
        return mapped


def fit_logistic(x: npt.ArrayLike, y: Sequence[float] | npt.ArrayLike, l2: float = 1e-3,
                 iterations: int = 50) -> FloatArray:  # fmt: skip
    """Binary logistic regression by Newton's method, with a ridge of ``l2`` on every
    weight (a small one keeps the fit finite when the outcomes are all 1 or all 0).

    Args:
        x: (n, d) feature rows.
        y: n outcomes, each 0 or 1.
        l2: The ridge.
        iterations: At most this many Newton steps.

    Returns:
        d + 1 weights, the last the bias: P(1) = sigmoid(x @ w[:-1] + w[-1]).
    """
    rows = np.atleast_2d(np.asarray(x, dtype=np.float64))
    outcomes = np.asarray(y, dtype=np.float64)
    if len(rows) != len(outcomes):
        raise SynthError(f"{len(rows)} feature rows for {outcomes.size} outcomes",
                         "give one outcome each")  # fmt: skip
    xb = _with_bias(rows)
    w = np.zeros(xb.shape[1])
    for _ in range(iterations):
        p = _sigmoid(xb @ w)
        grad = xb.T @ (p - outcomes) + l2 * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def fit_confidence_map(confidence: Sequence[float], right: Sequence[bool]) -> ConfidenceMap:
    """Fit :class:`ConfidenceMap`: a one-feature :func:`fit_logistic` on the log-odds.

    Args:
        confidence: Held-out verdicts' confidences, each in (0, 1].
        right: Whether each was right.

    Returns:
        The map; the identity when there are no verdicts.
    """
    x = logit(np.asarray(confidence, dtype=np.float64))
    if x.size != len(right):
        raise SynthError(f"{x.size} confidences for {len(right)} outcomes", "give one outcome each")
    if not len(x):
        return ConfidenceMap()
    slope, intercept = fit_logistic(x[:, None], [float(r) for r in right])
    return ConfidenceMap(float(slope), float(intercept))
