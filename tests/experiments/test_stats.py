"""Paired differences over seeds with hand-computed t intervals, and every branch of the verdict
for a claimed increase and a claimed decrease."""

from __future__ import annotations

import json
import math

import pytest

from experiments.spec import Direction
from experiments.stats import Measured, decide, explain, paired_delta, t_quantile_95
from synth.core.errors import SynthError
from synth.core.types import Reproduced as Outcome

UP, DOWN = Direction.INCREASE, Direction.DECREASE


def test_three_seeds_hand_computed() -> None:
    # differences 1, 2, 3: mean 2, sd 1, se 1/sqrt(3), t(2) = 4.3027 -> 2 ± 2.4842
    m = paired_delta({1: 10.0, 2: 20.0, 3: 30.0}, {1: 11.0, 2: 22.0, 3: 33.0})
    assert m.delta == pytest.approx(2.0)
    assert m.ci_low == pytest.approx(2 - 2.4842, abs=1e-4)
    assert m.ci_high == pytest.approx(2 + 2.4842, abs=1e-4)
    assert (m.seeds, m.baseline, m.intermediate) == ((1, 2, 3), 20.0, 22.0)


def test_two_seeds_hand_computed() -> None:
    # differences 1, 3: mean 2, sd sqrt(2), se 1, t(1) = 12.7062
    m = paired_delta({7: 50.0, 8: 50.0}, {7: 51.0, 8: 53.0})
    assert (m.ci_low, m.ci_high) == pytest.approx((2 - 12.7062, 2 + 12.7062))


def test_only_shared_seeds_are_paired() -> None:
    m = paired_delta({1: 10.0, 2: 10.0, 3: 12.0, 4: 99.0}, {3: 13.0, 2: 12.0, 5: 0.0})
    assert m.seeds == (2, 3)
    assert m.delta == pytest.approx(1.5)  # differences 2 and 1
    assert (m.baseline, m.intermediate) == pytest.approx((11.0, 12.5))


def test_zero_variance_collapses_the_interval() -> None:
    m = paired_delta({1: 1.0, 2: 5.0, 3: 9.0}, {1: 3.0, 2: 7.0, 3: 11.0})
    assert m.delta == m.ci_low == m.ci_high == pytest.approx(2.0)


def test_one_seed_has_a_point_interval_that_serialises() -> None:
    m = paired_delta({1: 40.0}, {1: 45.0, 2: 46.0})
    assert (m.delta, m.ci_low, m.ci_high, m.seeds) == (5.0, 5.0, 5.0, (1,))
    assert json.loads(m.model_dump_json())["ci_low"] == 5.0


def test_many_seeds_use_the_normal_quantile() -> None:
    # 40 differences, 1 and 3 alternating: mean 2, variance 40/39, se = 1/sqrt(39)
    base = {s: 0.0 for s in range(40)}
    m = paired_delta(base, {s: 1.0 + 2 * (s % 2) for s in range(40)})
    assert m.ci_high - m.delta == pytest.approx(1.96 / math.sqrt(39))


def test_t_quantiles() -> None:
    assert t_quantile_95(2) == 4.3027
    assert t_quantile_95(30) == 2.0423
    assert t_quantile_95(31) == 1.96
    with pytest.raises(SynthError):
        t_quantile_95(0)


@pytest.mark.parametrize(
    ("baseline", "intermediate", "level", "message"),
    [
        ({1: 1.0}, {1: 2.0}, 0.9, "confidence level 0.9"),
        ({1: 1.0}, {2: 2.0}, 0.95, "no seed has both"),
        ({1: 1.0, 2: math.nan}, {1: 2.0, 2: 3.0}, 0.95, "not a finite number"),
    ],
)
def test_paired_delta_refuses(
    baseline: dict[int, float], intermediate: dict[int, float], level: float, message: str
) -> None:
    with pytest.raises(SynthError, match=message):
        paired_delta(baseline, intermediate, level)


def _measured(low: float, high: float, seeds: tuple[int, ...] = (1, 2, 3)) -> Measured:
    delta = (low + high) / 2
    return Measured(
        delta=delta, ci_low=low, ci_high=high, seeds=seeds, baseline=50.0,
        intermediate=50.0 + delta,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "magnitude", "outcome"),
    [
        (0.5, 3.5, None, Outcome.REPRODUCED),  # above 0, reaches the smallest effect
        (0.5, 3.5, 6.0, Outcome.REPRODUCED),  # reaches half the claimed 6
        (0.5, 3.5, 8.2, Outcome.NOT_REPRODUCED),  # 4.1 is out of reach
        (0.1, 0.6, None, Outcome.NOT_REPRODUCED),  # real but below 1 point
        (-3.0, -1.0, None, Outcome.NOT_REPRODUCED),  # the opposite effect
        (-0.5, 2.0, None, Outcome.INCONCLUSIVE),  # spans 0 and the smallest effect
        (-0.5, 5.0, 8.0, Outcome.INCONCLUSIVE),  # spans 0 and half the claim
        (0.0, 2.0, None, Outcome.INCONCLUSIVE),  # touching 0 does not exclude it
        (0.2, 1.0, None, Outcome.REPRODUCED),  # reaching the bar exactly is enough
    ],
)
def test_decide_both_directions(
    low: float, high: float, magnitude: float | None, outcome: Outcome
) -> None:
    assert decide(UP, magnitude, _measured(low, high)) is outcome
    assert decide(DOWN, magnitude, _measured(-high, -low)) is outcome


def test_decide_one_seed_is_always_inconclusive() -> None:
    for low, high in ((5.0, 5.0), (-5.0, -5.0), (0.1, 0.1)):
        assert decide(UP, None, _measured(low, high, seeds=(1,))) is Outcome.INCONCLUSIVE


def test_decide_smallest_effect() -> None:
    small = _measured(0.1, 0.6)
    assert decide(UP, None, small, smallest_effect=0.0) is Outcome.REPRODUCED
    assert decide(UP, 1.0, small, smallest_effect=0.0) is Outcome.REPRODUCED  # bar 0.5
    with pytest.raises(SynthError, match="smallest effect -1"):
        decide(UP, None, small, smallest_effect=-1.0)


def test_explain_reproduced_sentence() -> None:
    m = _measured(0.5, 3.5)
    assert explain(Outcome.REPRODUCED, UP, 6.0, m) == (
        "Reproduced: claimed an increase of 6 points; measured 50.00 -> 52.00, change +2.00 "
        "(95% CI +0.50 to +3.50, 3 seeds); the interval lies on the claimed side of no change "
        "and reaches 3 points."
    )


@pytest.mark.parametrize(
    ("direction", "low", "high", "magnitude", "seeds", "reason"),
    [
        (UP, -3.0, -1.0, None, (1, 2), "opposite side of no change"),
        (DOWN, 1.0, 3.0, 4.0, (1, 2), "opposite side of no change"),
        (UP, 0.5, 3.5, 8.2, (1, 2), "does not reach half the claimed size (4.1 points)"),
        (DOWN, -0.6, -0.1, None, (1, 2), "stays below 1 point, the smallest effect"),
        (UP, -0.5, 2.0, None, (1, 2), "the interval includes no change"),
        (UP, 2.0, 2.0, None, (1,), "(1 seed, no confidence interval); one seed cannot"),
    ],
)
def test_explain_gives_the_reason(
    direction: Direction,
    low: float,
    high: float,
    magnitude: float | None,
    seeds: tuple[int, ...],
    reason: str,
) -> None:
    m = _measured(low, high, seeds)
    outcome = decide(direction, magnitude, m)
    sentence = explain(outcome, direction, magnitude, m)
    assert reason in sentence
    assert sentence.startswith(outcome.value.replace("_", " ").capitalize())
    assert f"claimed {'an increase' if direction is UP else 'a decrease'}" in sentence
