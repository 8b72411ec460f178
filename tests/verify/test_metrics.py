"""Hand-computed checks of synth.verify.metrics."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from synth.core.errors import SynthError
from synth.verify.metrics import (
    PRF,
    CalibrationBin,
    abstract_label_only,
    accuracy,
    auroc,
    bootstrap_interval,
    expected_calibration_error,
    macro_f1,
    per_class,
    prf,
    reliability,
)

CLASSES = ("SUPPORT", "CONTRADICT", "NEI")


# --- abstract-level label-only ------------------------------------------------------------


def test_label_only_mixed() -> None:
    gold = {
        "1": {"a": "SUPPORT", "b": "CONTRADICT"},
        "2": {"c": "SUPPORT", "d": "SUPPORT"},
        "3": {},
    }
    predicted = {
        "1": {"a": "SUPPORT", "b": "SUPPORT"},  # a right; b is gold but wrong label
        "2": {"c": "SUPPORT", "x": "SUPPORT"},  # c right; x is not gold evidence
    }
    # 4 predicted, 2 correct, 4 gold -> P = 1/2, R = 1/2, F1 = 1/2
    result = abstract_label_only(gold, predicted)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(0.5)
    assert result.f1 == pytest.approx(0.5)


def test_label_only_three_predicted_two_correct_four_gold() -> None:
    gold = {"1": {"a": "SUPPORT", "b": "SUPPORT"}, "2": {"c": "CONTRADICT", "d": "SUPPORT"}}
    predicted = {"1": {"a": "SUPPORT", "b": "SUPPORT"}, "2": {"c": "SUPPORT"}}
    # P = 2/3, R = 2/4 = 1/2, F1 = 2 * (2/3)(1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7
    assert abstract_label_only(gold, predicted) == PRF(
        pytest.approx(2 / 3), pytest.approx(1 / 2), pytest.approx(4 / 7)
    )


def test_label_only_claim_absent_from_gold_counts_as_wrong() -> None:
    gold = {"1": {"a": "SUPPORT"}}
    predicted = {"1": {"a": "SUPPORT"}, "99": {"z": "CONTRADICT"}}
    # 2 predicted, 1 correct, 1 gold -> P = 1/2, R = 1, F1 = 2 * 0.5 / 1.5 = 2/3
    result = abstract_label_only(gold, predicted)
    assert result.as_dict() == {
        "precision": pytest.approx(0.5),
        "recall": pytest.approx(1.0),
        "f1": pytest.approx(2 / 3),
    }


def test_label_only_empty_predictions() -> None:
    gold = {"1": {"a": "SUPPORT"}, "2": {"b": "CONTRADICT"}}
    # nothing predicted -> P = 0 (by convention), R = 0/2, F1 = 0
    assert abstract_label_only(gold, {}) == PRF(0.0, 0.0, 0.0)
    assert abstract_label_only(gold, {"1": {}}) == PRF(0.0, 0.0, 0.0)


def test_label_only_no_gold() -> None:
    # 1 predicted, 0 correct, 0 gold -> all zero
    assert abstract_label_only({"1": {}}, {"1": {"a": "SUPPORT"}}) == PRF(0.0, 0.0, 0.0)
    assert abstract_label_only({}, {}) == PRF(0.0, 0.0, 0.0)


# --- claim-level classification -----------------------------------------------------------


def test_accuracy() -> None:
    # 3 of 4 match -> 0.75
    gold = ["SUPPORT", "NEI", "CONTRADICT", "NEI"]
    assert accuracy(gold, ["SUPPORT", "NEI", "NEI", "NEI"]) == pytest.approx(0.75)


def test_per_class_and_macro_f1_with_class_never_predicted() -> None:
    gold = ["SUPPORT", "SUPPORT", "CONTRADICT", "NEI"]
    predicted = ["SUPPORT", "NEI", "NEI", "NEI"]
    # SUPPORT:    tp 1, predicted 1, gold 2 -> P 1,   R 1/2, F1 2/3
    # CONTRADICT: tp 0, predicted 0, gold 1 -> P 0,   R 0,   F1 0
    # NEI:        tp 1, predicted 3, gold 1 -> P 1/3, R 1,   F1 (2/3)/(4/3) = 1/2
    scores = per_class(gold, predicted, CLASSES)
    assert scores["SUPPORT"] == PRF(1.0, pytest.approx(0.5), pytest.approx(2 / 3))
    assert scores["CONTRADICT"] == PRF(0.0, 0.0, 0.0)
    assert scores["NEI"] == PRF(pytest.approx(1 / 3), 1.0, pytest.approx(0.5))
    # macro = (2/3 + 0 + 1/2) / 3 = 7/18
    assert macro_f1(gold, predicted, CLASSES) == pytest.approx(7 / 18)


def test_macro_f1_absent_class_still_counts() -> None:
    # perfect on SUPPORT/NEI, CONTRADICT neither gold nor predicted -> (1 + 0 + 1) / 3 = 2/3
    gold = ["SUPPORT", "NEI"]
    assert macro_f1(gold, list(gold), CLASSES) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("gold", "predicted"), [([], []), (["NEI"], []), (["NEI"], ["NEI", "SUPPORT"])]
)
def test_classification_rejects_bad_lengths(gold: list[str], predicted: list[str]) -> None:
    with pytest.raises(SynthError):
        accuracy(gold, predicted)
    with pytest.raises(SynthError):
        macro_f1(gold, predicted, CLASSES)
    with pytest.raises(SynthError):
        per_class(gold, predicted, CLASSES)


def test_macro_f1_rejects_no_classes() -> None:
    with pytest.raises(SynthError):
        macro_f1(["NEI"], ["NEI"], [])


# --- calibration --------------------------------------------------------------------------


def test_ece_perfectly_calibrated() -> None:
    # bin (0.4, 0.5]: conf 0.5 x4, 2 correct -> |0.5 - 0.5| = 0
    # bin (0.7, 0.8]: conf 0.75 x4, 3 correct -> |0.75 - 0.75| = 0
    confidence = [0.5] * 4 + [0.75] * 4
    correct = [True, True, False, False, True, True, True, False]
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.0)


def test_ece_confident_and_wrong() -> None:
    # one bin (0.9, 1.0]: conf 1.0, accuracy 0 -> ECE = 1
    assert expected_calibration_error([1.0, 1.0, 1.0], [False] * 3) == pytest.approx(1.0)


def test_ece_two_bins_by_hand() -> None:
    confidence = [0.2, 0.4, 0.9, 0.7]
    correct = [False, True, True, True]
    # bins=2: (0, 0.5] holds 0.2, 0.4 -> conf 0.3, acc 0.5, |diff| 0.2, weight 2/4
    #         (0.5, 1] holds 0.9, 0.7 -> conf 0.8, acc 1.0, |diff| 0.2, weight 2/4
    # ECE = 0.5 * 0.2 + 0.5 * 0.2 = 0.2
    assert expected_calibration_error(confidence, correct, bins=2) == pytest.approx(0.2)
    low, high = reliability(confidence, correct, bins=2)
    assert low == CalibrationBin(0.0, 0.5, 2, pytest.approx(0.3), 0.5)
    assert high == CalibrationBin(0.5, 1.0, 2, pytest.approx(0.8), 1.0)


def test_ece_unequal_bins_by_hand() -> None:
    confidence = [0.3, 0.6, 0.8, 1.0]
    correct = [True, False, True, True]
    # bins=2: (0, 0.5] holds 0.3 -> |0.3 - 1| = 0.7, weight 1/4
    #         (0.5, 1] holds 0.6, 0.8, 1.0 -> conf 0.8, acc 2/3, |diff| 2/15, weight 3/4
    # ECE = 0.7/4 + (3/4)(2/15) = 0.175 + 0.1 = 0.275
    assert expected_calibration_error(confidence, correct, bins=2) == pytest.approx(0.275)


def test_bin_edges() -> None:
    # 0.0 and exactly 0.1 both fall in (0, 0.1] (0 is folded into the first bin);
    # 0.7 stays in (0.6, 0.7] despite 0.7 * 10 == 7.000000000000001
    table = reliability([0.0, 0.1, 0.7, 0.70001], [True, False, True, True], bins=10)
    assert [(b.lower, b.upper, b.count) for b in table] == [
        (0.0, pytest.approx(0.1), 2),
        (pytest.approx(0.6), pytest.approx(0.7), 1),
        (pytest.approx(0.7), pytest.approx(0.8), 1),
    ]
    assert table[0].confidence == pytest.approx(0.05)
    assert table[0].accuracy == pytest.approx(0.5)


def test_reliability_omits_empty_bins() -> None:
    table = reliability([0.95, 0.15], [True, False])
    assert [b.count for b in table] == [1, 1]
    assert [b.lower for b in table] == [pytest.approx(0.1), pytest.approx(0.9)]


@pytest.mark.parametrize(
    ("confidence", "correct", "bins"),
    [
        ([], [], 10),
        ([0.5], [True, False], 10),
        ([1.2], [True], 10),
        ([-0.1], [True], 10),
        ([float("nan")], [True], 10),
        ([0.5], [True], 0),
    ],
)
def test_calibration_rejects_bad_input(
    confidence: list[float], correct: list[bool], bins: int
) -> None:
    with pytest.raises(SynthError):
        expected_calibration_error(confidence, correct, bins)
    with pytest.raises(SynthError):
        reliability(confidence, correct, bins)


# --- AUROC --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "positive", "expected"),
    [
        # every positive above every negative -> 1
        ([0.1, 0.2, 0.8, 0.9], [False, False, True, True], 1.0),
        # every positive below every negative -> 0
        ([0.1, 0.2, 0.8, 0.9], [True, True, False, False], 0.0),
        # all tied: each of the 2 x 2 pairs counts half -> 0.5
        ([0.5, 0.5, 0.5, 0.5], [True, False, True, False], 0.5),
        # positives 0.35, 0.8 against negatives 0.1, 0.4: 0.35 beats 0.1 only, 0.8 beats
        # both -> 3 of 4 pairs
        ([0.1, 0.4, 0.35, 0.8], [False, False, True, True], 0.75),
        # positives 0.5, 0.9 against negatives 0.3, 0.5: 1 + 0.5 (tie) + 1 + 1 = 3.5 of 4
        ([0.3, 0.5, 0.5, 0.9], [False, True, False, True], 0.875),
        # one positive 0.6 against negatives 0.2, 0.6, 0.6, 0.7: 1 + 0.5 + 0.5 + 0 = 2 of 4
        ([0.2, 0.6, 0.6, 0.6, 0.7], [False, True, False, False, False], 0.5),
        # positives 2, 3 against negatives 1, 3, 4 (order shuffled; ints as outcomes):
        # 2 beats 1 -> 1; 3 beats 1, ties 3 -> 1.5; total 2.5 of 6
        ([3, 1, 4, 2, 3], [1, 0, 0, 1, 0], 2.5 / 6),
    ],
)
def test_auroc_by_hand(scores: list[float], positive: list[bool], expected: float) -> None:
    assert auroc(scores, positive) == pytest.approx(expected)


def test_auroc_ignores_order() -> None:
    scores = [0.3, 0.5, 0.5, 0.9, 0.1, 0.7]
    positive = [False, True, False, True, False, True]
    order = [4, 2, 0, 5, 1, 3]
    shuffled = auroc([scores[i] for i in order], [positive[i] for i in order])
    assert shuffled == pytest.approx(auroc(scores, positive))


@pytest.mark.parametrize(
    ("scores", "positive"),
    [([], []), ([0.2, 0.9], [True, True]), ([0.2, 0.9], [False, False]), ([0.4], [True])],
)
def test_auroc_none_without_both_classes(scores: list[float], positive: list[bool]) -> None:
    assert auroc(scores, positive) is None


@pytest.mark.parametrize(("scores", "positive"), [([0.1, 0.2], [True]), ([0.1], [True, False])])
def test_auroc_rejects_a_length_mismatch(scores: list[float], positive: list[bool]) -> None:
    with pytest.raises(SynthError, match=f"{len(scores)} scores and {len(positive)} outcomes"):
        auroc(scores, positive)


def test_bootstrap_of_a_constant_is_that_constant() -> None:
    assert bootstrap_interval(lambda idx: 0.7, size=5, draws=50) == (0.7, 0.7)


def test_bootstrap_interval_of_a_mean_brackets_it_and_narrows_with_more_items() -> None:
    def interval(n: int) -> tuple[float, float]:
        values = [i % 2 for i in range(n)]  # half ones: the mean is 0.5
        return bootstrap_interval(lambda idx: sum(values[i] for i in idx) / len(idx), n, 400)

    small, large = interval(20), interval(2000)
    assert small[0] < 0.5 < small[1] and large[0] < 0.5 < large[1]
    # the standard error of a mean of n coin flips is 0.5 / sqrt(n): 0.11 and 0.011, and
    # the 90% interval is about 3.3 of them wide
    assert small[1] - small[0] == pytest.approx(3.3 * 0.5 / 20**0.5, rel=0.3)
    assert large[1] - large[0] == pytest.approx(3.3 * 0.5 / 2000**0.5, rel=0.3)


def test_bootstrap_is_reproducible_and_checks_its_arguments() -> None:
    values = [0.1, 0.9, 0.4, 0.3]

    def mean(idx: Sequence[int]) -> float:
        return sum(values[i] for i in idx) / len(idx)

    assert bootstrap_interval(mean, 4, 100, seed=3) == bootstrap_interval(mean, 4, 100, seed=3)
    for size, draws, level in ((0, 10, 0.9), (4, 0, 0.9), (4, 10, 1.0)):
        with pytest.raises(SynthError, match="no bootstrap interval"):
            bootstrap_interval(mean, size, draws, level)


def test_prf_from_counts_and_zero_denominators() -> None:
    # 3 right of 4 said, of 6 to find: P 0.75, R 0.5, F1 2 * 0.375 / 1.25 = 0.6
    assert prf(3, 4, 6) == PRF(0.75, 0.5, pytest.approx(0.6))
    assert prf(0, 0, 0) == PRF(0.0, 0.0, 0.0)
