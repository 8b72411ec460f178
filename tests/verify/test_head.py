"""The verdict head: multinomial logistic regression fitted by Newton's method, checked on
hand-made arrays (a separable toy problem, constant features, weighted rows) and through
its JSON form."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from synth.core.errors import SynthError
from synth.verify.head import (
    CLASSES,
    ConfidenceMap,
    Head,
    fit_confidence_map,
    fit_head,
    fit_logistic,
    logit,
)

FEATURES = ("entail", "contradict")


def _clusters(per_class: int = 40, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    """Three well-separated clusters in two dimensions, one per class."""
    rng = np.random.default_rng(seed)
    centres = np.array([[3.0, 0.0], [0.0, 3.0], [-3.0, -3.0]])
    x = np.vstack([c + rng.normal(0.0, 0.5, size=(per_class, 2)) for c in centres])
    y = [k for k in range(3) for _ in range(per_class)]
    return x, y


def test_classes() -> None:
    assert CLASSES == ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")


def test_separable_problem_is_fitted() -> None:
    x, y = _clusters()
    head = fit_head(x, y, FEATURES)
    assert head.features == FEATURES
    assert len(head.weights) == 3 and all(len(row) == 3 for row in head.weights)
    accuracy = float(np.mean(head.probabilities(x).argmax(axis=1) == np.array(y)))
    assert accuracy > 0.95
    # and on fresh points from the same clusters
    fresh_x, fresh_y = _clusters(seed=1)
    assert float(np.mean(head.probabilities(fresh_x).argmax(axis=1) == fresh_y)) > 0.95


def test_probabilities_are_distributions() -> None:
    x, y = _clusters()
    head = fit_head(x, y, FEATURES)
    probs = head.probabilities(np.vstack([x, [[100.0, -100.0], [0.0, 0.0]]]))
    assert probs.shape == (len(x) + 2, 3)
    assert np.all(probs >= 0.0) and np.all(probs <= 1.0)
    assert np.allclose(probs.sum(axis=1), 1.0)
    one = head.probabilities([0.5, 0.5])  # a single row may be given flat
    assert one.shape == (1, 3) and one.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("value", [0.0, 1.0, 2.5])
def test_constant_feature_gives_the_class_frequencies(value: float) -> None:
    y = [0] * 50 + [1] * 30 + [2] * 20
    x = np.full((len(y), 1), value)
    head = fit_head(x, y, ["constant"])
    assert head.probabilities([[value]])[0] == pytest.approx([0.5, 0.3, 0.2], abs=1e-3)


def test_sample_weights_act_like_duplicated_rows() -> None:
    x, y = _clusters(per_class=8)
    x = x + np.random.default_rng(2).normal(0.0, 2.0, size=x.shape)  # overlapping classes
    weights = [3.0, 2.0] + [1.0] * (len(y) - 2)
    weighted = fit_head(x, y, FEATURES, weights=weights)
    duplicated = fit_head(np.vstack([x, x[[0, 0, 1]]]), [*y, y[0], y[0], y[1]], FEATURES)
    assert np.allclose(weighted.weights, duplicated.weights, atol=1e-6)
    assert not np.allclose(weighted.weights, fit_head(x, y, FEATURES).weights, atol=1e-3)


def test_stronger_penalty_shrinks_the_weights() -> None:
    x, y = _clusters()
    loose = np.abs(np.array(fit_head(x, y, FEATURES, l2=0.1).weights)[:, :-1]).sum()
    tight = np.abs(np.array(fit_head(x, y, FEATURES, l2=100.0).weights)[:, :-1]).sum()
    assert tight < loose


def test_json_round_trip() -> None:
    x, y = _clusters()
    head = fit_head(x, y, FEATURES)
    data = json.loads(json.dumps(head.as_json()))
    assert data["features"] == list(FEATURES)
    again = Head.from_json(data)
    assert again == head
    assert np.array_equal(again.probabilities(x), head.probabilities(x))


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "head",
        {},
        {"features": ["a"]},
        {"weights": [[0.0, 0.0]] * 3},
        {"features": ["a"], "weights": None},
        {"features": ["a"], "weights": [[0.0, "x"]] * 3},
        {"features": ["a"], "weights": [0.0, 1.0, 2.0]},
        {"features": 3, "weights": [[0.0, 0.0]] * 3},
    ],
)
def test_malformed_json(data: object) -> None:
    with pytest.raises(SynthError, match="verdict head is malformed"):
        Head.from_json(data)


@pytest.mark.parametrize(
    "data",
    [
        {"features": ["a"], "weights": [[0.0, 0.0]] * 2},  # two classes
        {"features": ["a"], "weights": [[0.0, 0.0]] * 4},
        {"features": ["a"], "weights": [[0.0]] * 3},  # no bias
        {"features": ["a"], "weights": [[0.0, 0.0, 0.0]] * 3},
        {"features": ["a"], "weights": [[0.0, 0.0], [0.0, 0.0], [0.0]]},
    ],
)
def test_json_of_the_wrong_shape(data: object) -> None:
    with pytest.raises(SynthError, match="wrong shape"):
        Head.from_json(data)


@pytest.mark.parametrize("columns", [1, 3])
def test_probabilities_with_the_wrong_feature_count(columns: int) -> None:
    head = Head(FEATURES, ((0.0, 0.0, 0.0),) * 3)
    with pytest.raises(SynthError, match=f"expects 2 features, got {columns}"):
        head.probabilities(np.zeros((4, columns)))


@pytest.mark.parametrize("labels", [[0, 1, 3], [-1, 0, 1], [0, 1, 7]])
def test_fit_rejects_labels_outside_the_classes(labels: list[int]) -> None:
    with pytest.raises(SynthError, match="outside the three classes"):
        fit_head(np.zeros((3, 2)), labels, FEATURES)


@pytest.mark.parametrize(
    ("x", "y", "features"),
    [
        (np.zeros((3, 2)), [0, 1], FEATURES),  # a label short
        (np.zeros((2, 2)), [0, 1, 2], FEATURES),  # a row short
        (np.zeros((3, 2)), [0, 1, 2], ("only",)),  # a feature name short
        (np.zeros((0, 2)), [], FEATURES),  # nothing to fit
        ([], [], FEATURES),
    ],
)
def test_fit_rejects_mismatched_input(x: object, y: list[int], features: tuple[str, ...]) -> None:
    with pytest.raises(SynthError, match="one label per feature row"):
        fit_head(x, y, features)  # type: ignore[arg-type]


@pytest.mark.parametrize("weights", [[1.0, 2.0], [2.0]])
def test_fit_rejects_weights_of_the_wrong_length(weights: list[float]) -> None:
    with pytest.raises(SynthError, match="one weight per row"):
        fit_head(np.zeros((3, 2)), [0, 1, 2], FEATURES, weights=weights)


def test_logit() -> None:
    assert logit(0.5) == pytest.approx(0.0)
    assert logit(0.9) == pytest.approx(math.log(9))
    assert logit(0.1) == pytest.approx(-math.log(9))
    edge = math.log((1 - 1e-4) / 1e-4)
    assert logit(1.0) == pytest.approx(edge) and logit(2.0) == pytest.approx(edge)
    assert logit(0.0) == pytest.approx(-edge) and logit(-1.0) == pytest.approx(-edge)
    values = logit([[0.5, 0.9], [0.1, 1.0]])
    assert values.shape == (2, 2) and values.dtype == np.float64
    assert np.all(np.isfinite(values))


# --- the confidence map (Platt scaling of a verdict's confidence) -------------------------


def test_the_identity_map_leaves_confidences_alone() -> None:
    for c in (0.4, 0.6, 0.9, 0.99):
        assert ConfidenceMap()(c) == pytest.approx(c, abs=1e-4)


def test_a_mapped_confidence_never_falls_below_a_third() -> None:
    pessimist = ConfidenceMap(slope=1.0, intercept=-5.0)  # sigmoid(logit(0.5) - 5) = 0.0067
    assert pessimist(0.5) == pytest.approx(1 / 3)
    assert pessimist(0.999) == pytest.approx(1 / (1 + math.exp(-(math.log(999) - 5))))


def test_fitting_recovers_the_map_that_made_the_outcomes() -> None:
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.34, 0.99, size=20_000)
    truth = ConfidenceMap(slope=0.5, intercept=-0.3)
    right = rng.uniform(size=confidence.size) < [truth(c) for c in confidence]
    fitted = fit_confidence_map(confidence.tolist(), right.tolist())
    assert (fitted.slope, fitted.intercept) == (
        pytest.approx(0.5, abs=0.05), pytest.approx(-0.3, abs=0.05))  # fmt: skip


def test_confidences_that_were_right_as_often_as_they_said_map_to_themselves() -> None:
    # 60% right at 0.6 and 90% right at 0.9: calibrated already, so near the identity
    confidence = [0.6] * 100 + [0.9] * 100
    right = [True] * 60 + [False] * 40 + [True] * 90 + [False] * 10
    fitted = fit_confidence_map(confidence, right)
    assert fitted(0.6) == pytest.approx(0.6, abs=0.01)
    assert fitted(0.9) == pytest.approx(0.9, abs=0.01)


def test_all_right_or_all_wrong_still_gives_a_finite_map() -> None:
    for outcome in (True, False):
        fitted = fit_confidence_map([0.4, 0.7, 0.9], [outcome] * 3)
        assert math.isfinite(fitted.slope) and math.isfinite(fitted.intercept)


def test_logistic_fit_recovers_two_weights_and_a_bias() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20_000, 2))
    truth = np.array([1.5, -0.5, 0.25])  # P(1) = sigmoid(1.5 x0 - 0.5 x1 + 0.25)
    y = rng.uniform(size=len(x)) < 1 / (1 + np.exp(-(x @ truth[:2] + truth[2])))
    assert fit_logistic(x, y.astype(float)) == pytest.approx(truth, abs=0.06)


def test_logistic_fit_needs_one_outcome_per_row() -> None:
    with pytest.raises(SynthError, match="3 feature rows for 2 outcomes"):
        fit_logistic(np.zeros((3, 1)), [0.0, 1.0])


def test_no_verdicts_give_the_identity() -> None:
    assert fit_confidence_map([], []) == ConfidenceMap()


def test_one_outcome_per_confidence() -> None:
    with pytest.raises(SynthError, match="2 confidences for 1 outcomes"):
        fit_confidence_map([0.5, 0.6], [True])


def test_map_json_round_trip_and_a_missing_map() -> None:
    fitted = ConfidenceMap(0.7, -0.2)
    assert ConfidenceMap.from_json(json.loads(json.dumps(fitted.as_json()))) == fitted
    assert ConfidenceMap.from_json(None) == ConfidenceMap()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([0.7, -0.2], "malformed"),
        ({"slope": 0.7}, "malformed"),
        ({"slope": "x", "intercept": 0.0}, "malformed"),
        ({"slope": float("nan"), "intercept": 0.0}, "not finite"),
        ({"slope": 1.0, "intercept": float("inf")}, "not finite"),
    ],
)
def test_a_malformed_map_is_refused(data: object, problem: str) -> None:
    with pytest.raises(SynthError, match=f"confidence map is {problem}"):
        ConfidenceMap.from_json(data)
