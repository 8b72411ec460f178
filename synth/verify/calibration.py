"""Pair calibration, pure numpy. Temperature scaling (Guo et al. 2017): one scalar T,
fitted on held-out logits by minimising negative log-likelihood, makes softmax(logits / T)
a calibrated pair probability; the verifier stores T beside its weights. A verdict's own
confidence is calibrated by the verdict head (:mod:`synth.verify.head`)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from synth.core.errors import SynthError

FloatArray = npt.NDArray[np.float64]

_GOLDEN = (math.sqrt(5) - 1) / 2


def softmax(logits: npt.ArrayLike, temperature: float = 1.0) -> FloatArray:
    """Row-wise softmax of ``logits / temperature``, numerically stable."""
    if temperature <= 0:
        raise SynthError(f"temperature {temperature} must be positive", "fit it again")
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=-1, keepdims=True)
    return out


def nll(logits: npt.ArrayLike, labels: npt.ArrayLike, temperature: float) -> float:
    """Mean negative log-likelihood of the true labels at this temperature."""
    probs = softmax(logits, temperature)
    idx = np.asarray(labels, dtype=np.int64)
    return float(-np.mean(np.log(np.clip(probs[np.arange(len(idx)), idx], 1e-12, 1.0))))


def fit_temperature(
    logits: npt.ArrayLike, labels: npt.ArrayLike, low: float = 0.05, high: float = 20.0
) -> float:
    """The temperature in [low, high] that minimises NLL, by golden-section search on
    log T (NLL is unimodal in T for temperature scaling)."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    if z.ndim != 2 or len(z) == 0 or len(z) != len(y):
        raise SynthError(
            "calibration needs one row of logits per label, and at least one row",
            "give held-out pairs to fit the temperature on",
        )
    if y.min() < 0 or y.max() >= z.shape[1]:
        raise SynthError("a label lies outside the logits' classes", "give class indices")
    if not 0 < low < high:
        raise SynthError(f"bad temperature range [{low}, {high}]", "use 0 < low < high")
    a, b = math.log(low), math.log(high)
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    fc, fd = nll(z, y, math.exp(c)), nll(z, y, math.exp(d))
    while b - a > 1e-4:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - _GOLDEN * (b - a)
            fc = nll(z, y, math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + _GOLDEN * (b - a)
            fd = nll(z, y, math.exp(d))
    return math.exp((a + b) / 2)
