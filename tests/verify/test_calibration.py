"""Temperature scaling: softmax, NLL and the fitted temperature. Expected values are worked
out by hand in the comments beside them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synth.core.errors import SynthError
from synth.verify.calibration import (
    fit_temperature,
    nll,
    softmax,
)

LN2, LN3, LN5 = math.log(2), math.log(3), math.log(5)


# ---------------------------------------------------------------------------------------
# softmax


@pytest.mark.parametrize(
    ("logits", "temperature", "expected"),
    [
        # exp(0) = 1, exp(ln 3) = 3 -> [1/4, 3/4]
        ([0.0, LN3], 1.0, [0.25, 0.75]),
        # shift invariance: [5, 5 + ln 3] -> same [1/4, 3/4]
        ([5.0, 5.0 + LN3], 1.0, [0.25, 0.75]),
        # [0, 2 ln 3] / 2 = [0, ln 3] -> [1/4, 3/4]
        ([0.0, 2 * LN3], 2.0, [0.25, 0.75]),
        # [0, 2 ln 3] at T=1: exp -> [1, 9] -> [1/10, 9/10]
        ([0.0, 2 * LN3], 1.0, [0.1, 0.9]),
        # 3 classes: exp -> [1, 2, 5], sum 8 -> [1/8, 2/8, 5/8]
        ([0.0, LN2, LN5], 1.0, [0.125, 0.25, 0.625]),
        # equal logits -> uniform
        ([7.0, 7.0, 7.0, 7.0], 1.0, [0.25, 0.25, 0.25, 0.25]),
        # huge equal logits stay finite (max is subtracted first): [1/2, 1/2]
        ([1000.0, 1000.0], 1.0, [0.5, 0.5]),
        # a 1000-gap: exp(-1000) underflows to 0 -> [0, 1] with no nan
        ([0.0, 1000.0], 1.0, [0.0, 1.0]),
    ],
)
def test_softmax_by_hand(logits: list[float], temperature: float, expected: list[float]) -> None:
    got = softmax(logits, temperature)
    assert got.tolist() == pytest.approx(expected)
    assert np.all(np.isfinite(got))


def test_softmax_rows_of_a_matrix() -> None:
    got = softmax([[0.0, LN3], [LN3, 0.0]])
    assert got.shape == (2, 2)
    assert got[0].tolist() == pytest.approx([0.25, 0.75])  # exp -> [1, 3] / 4
    assert got[1].tolist() == pytest.approx([0.75, 0.25])  # exp -> [3, 1] / 4


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 3.0, 100.0])
def test_softmax_rows_sum_to_one(temperature: float) -> None:
    logits = np.random.default_rng(0).normal(scale=5.0, size=(50, 3))
    probs = softmax(logits, temperature)
    assert probs.sum(axis=1) == pytest.approx(np.ones(50))
    assert np.all((probs >= 0) & (probs <= 1))


def test_higher_temperature_flattens() -> None:
    logits = [2.0, 0.0, -1.0]
    top = [softmax(logits, t)[0] for t in (0.5, 1.0, 2.0, 10.0)]
    assert top == sorted(top, reverse=True)  # the top class loses mass as T grows
    assert top[0] > top[-1]
    # very large T -> almost uniform: each about 1/3
    assert softmax(logits, 1e6).tolist() == pytest.approx([1 / 3] * 3, abs=1e-5)


@pytest.mark.parametrize("temperature", [0.0, -1.0, -1e-9])
def test_softmax_rejects_non_positive_temperature(temperature: float) -> None:
    with pytest.raises(SynthError):
        softmax([0.0, 1.0], temperature)


# ---------------------------------------------------------------------------------------
# nll


@pytest.mark.parametrize(
    ("logits", "labels", "temperature", "expected"),
    [
        # probs [1/4, 3/4] both rows; labels 1, 0 -> -(ln 3/4 + ln 1/4) / 2
        #   = (ln 4/3 + ln 4) / 2 = ln(16/3) / 2 = 1.673976 / 2 = 0.836988
        ([[0.0, LN3], [0.0, LN3]], [1, 0], 1.0, math.log(16 / 3) / 2),
        # [0, 2 ln 3] / 2 -> probs [1/4, 3/4]; label 1 -> -ln 3/4 = 0.287682
        ([[0.0, 2 * LN3]], [1], 2.0, math.log(4 / 3)),
        # uniform over 4 classes -> -ln 1/4 = ln 4 = 1.386294
        ([[1.0, 1.0, 1.0, 1.0]], [2], 1.0, math.log(4)),
        # prob of label 0 is exp(-1000) = 0, clipped to 1e-12 -> 12 ln 10 = 27.631021
        ([[0.0, 1000.0]], [0], 1.0, 12 * math.log(10)),
    ],
)
def test_nll_by_hand(
    logits: list[list[float]], labels: list[int], temperature: float, expected: float
) -> None:
    assert nll(logits, labels, temperature) == pytest.approx(expected)


def test_nll_hand_values_numerically() -> None:
    assert nll([[0.0, LN3], [0.0, LN3]], [1, 0], 1.0) == pytest.approx(0.836988, abs=1e-6)
    assert nll([[0.0, 2 * LN3]], [1], 2.0) == pytest.approx(0.287682, abs=1e-6)


# ---------------------------------------------------------------------------------------
# fit_temperature


def _sample_labels(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One label per row drawn from that row's distribution (inverse CDF)."""
    u = rng.random(len(probs))
    return (probs.cumsum(axis=1) < u[:, None]).sum(axis=1).clip(max=probs.shape[1] - 1)


def test_fit_recovers_a_known_temperature() -> None:
    rng = np.random.default_rng(1234)
    z = rng.normal(scale=4.0, size=(20_000, 3))
    labels = _sample_labels(rng, softmax(z, 2.0))  # the truth is softmax(z / 2)
    assert fit_temperature(z, labels) == pytest.approx(2.0, abs=0.1)


def test_fit_on_well_calibrated_logits_is_near_one() -> None:
    rng = np.random.default_rng(7)
    z = rng.normal(scale=3.0, size=(20_000, 3))
    labels = _sample_labels(rng, softmax(z))  # the truth is softmax(z / 1)
    assert fit_temperature(z, labels) == pytest.approx(1.0, abs=0.1)


def test_over_confident_logits_give_temperature_above_one() -> None:
    rng = np.random.default_rng(99)
    z = rng.normal(scale=2.0, size=(5_000, 3))
    labels = _sample_labels(rng, softmax(z))
    # the model reports 3 z: three times too sharp -> T about 3
    fitted = fit_temperature(3.0 * z, labels)
    assert fitted > 1.0
    assert fitted == pytest.approx(3.0, abs=0.3)


@pytest.mark.parametrize(
    ("margin", "expected"),
    [
        # logits [L, 0] on 4 rows, label 0 on 3 of them (q = 3/4). The NLL optimum has
        # sigmoid(L / T) = q, so L / T = ln(q / (1 - q)) = ln 3 and T = L / ln 3.
        # L = 10: T = 10 / 1.098612 = 9.102392 (over-confident, T > 1)
        (10.0, 10.0 / LN3),
        # L = 1: T = 1 / 1.098612 = 0.910239 (under-confident, T < 1)
        (1.0, 1.0 / LN3),
        # L = 2 ln 3: T = 2
        (2 * LN3, 2.0),
    ],
)
def test_fit_closed_form_two_class(margin: float, expected: float) -> None:
    logits = [[margin, 0.0]] * 4
    labels = [0, 0, 0, 1]
    # golden-section stops when the log-T bracket is < 1e-4 wide: relative error < 1e-4
    assert fit_temperature(logits, labels) == pytest.approx(expected, rel=1e-3)


def test_separable_data_runs_to_the_low_bound() -> None:
    # every row right: NLL keeps falling as T -> 0, so the fit stops at low = 0.05
    assert fit_temperature([[1.0, 0.0]] * 4, [0, 0, 0, 0]) == pytest.approx(0.05, rel=1e-3)


def test_all_wrong_data_runs_to_the_high_bound() -> None:
    # every row wrong: NLL keeps falling as T grows (towards uniform), stops at high = 20
    assert fit_temperature([[1.0, 0.0]] * 4, [1, 1, 1, 1]) == pytest.approx(20.0, rel=1e-3)


@pytest.mark.parametrize(
    ("logits", "labels"),
    [
        ([0.0, 1.0, 2.0], [0, 1, 2]),  # 1-D logits
        (np.zeros((0, 3)), []),  # no rows
        ([[0.0, 1.0], [1.0, 0.0]], [0]),  # 2 rows, 1 label
        ([[0.0, 1.0]], [0, 1]),  # 1 row, 2 labels
        (np.zeros((2, 2, 2)), [0, 1]),  # 3-D logits
    ],
)
def test_fit_rejects_bad_shapes(logits: object, labels: list[int]) -> None:
    with pytest.raises(SynthError):
        fit_temperature(logits, labels)  # type: ignore[arg-type]
