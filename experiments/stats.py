"""Did the experiment reproduce the claim? A paired comparison over seeds, and a verdict.

Each seed gives a baseline score (target task only) and an intermediate score (intermediate,
then target task) on the same target data; their per-seed differences are averaged and a
Student-t 95% confidence interval put around the mean. The verdict compares that interval with
the claim: its side of zero, the smallest effect worth calling an effect, and half the claimed
size when the claim states one. Pure, numpy only: the two-sided 95% t quantiles are tabulated.

One seed gives no interval: it is reported as ``ci_low == ci_high == delta`` (finite, so it
serialises to JSON) and its verdict is always INCONCLUSIVE.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict

from experiments.spec import Direction
from synth.core.errors import SynthError
from synth.core.types import Reproduced, interval


class Measured(BaseModel):
    """The mean paired difference (intermediate - baseline) and its CI, in metric points."""

    model_config = ConfigDict(frozen=True)

    delta: float
    ci_low: float
    ci_high: float
    seeds: tuple[int, ...]  # the seeds both runs have, sorted
    baseline: float  # mean baseline score over those seeds
    intermediate: float  # mean intermediate score over those seeds

    @property
    def interval(self) -> str:
        """The interval as reports print it: ``95% CI +0.50 to +3.50``."""
        return interval(self.ci_low, self.ci_high)


# Two-sided 95% quantiles of Student's t, t(0.975; df) for df = 1..30; the normal one above.
_T95 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
)  # fmt: skip
_Z95 = 1.9600


def t_quantile_95(df: int) -> float:
    """The two-sided 95% quantile of Student's t with ``df`` degrees of freedom (df >= 1)."""
    if df < 1:
        raise SynthError(f"no t quantile for {df} degrees of freedom", "use at least 2 seeds")
    return _T95[df - 1] if df <= len(_T95) else _Z95


def paired_delta(
    baseline: Mapping[int, float], intermediate: Mapping[int, float], level: float = 0.95
) -> Measured:
    """Mean of the per-seed differences over the seeds both have, with a t interval.

    A baseline that does not depend on the seed (one scored by retrieval alone trains
    nothing) should be passed under every seed of the intermediate runs.
    """
    if level != 0.95:
        raise SynthError(f"confidence level {level} is not supported", "use level=0.95")
    seeds = tuple(sorted(set(baseline) & set(intermediate)))
    if not seeds:
        raise SynthError(
            "no seed has both a baseline and an intermediate score "
            f"(baseline seeds {sorted(baseline)}, intermediate seeds {sorted(intermediate)})",
            "run the baseline and the intermediate model with the same seeds",
        )
    base = np.array([baseline[s] for s in seeds], dtype=np.float64)
    inter = np.array([intermediate[s] for s in seeds], dtype=np.float64)
    if not (np.isfinite(base).all() and np.isfinite(inter).all()):
        raise SynthError("a score is not a finite number", "check the runs' result files")
    diffs = inter - base
    delta = float(diffs.mean())
    half = 0.0
    if len(seeds) >= 2:
        se = float(diffs.std(ddof=1)) / math.sqrt(len(seeds))
        half = t_quantile_95(len(seeds) - 1) * se
    return Measured(
        delta=delta,
        ci_low=delta - half,
        ci_high=delta + half,
        seeds=seeds,
        baseline=float(base.mean()),
        intermediate=float(inter.mean()),
    )


def _claimed_side(direction: Direction, measured: Measured) -> tuple[float, float]:
    """The CI as (low, high) on the claimed side: mirrored for a claimed decrease."""
    if direction is Direction.INCREASE:
        return measured.ci_low, measured.ci_high
    return -measured.ci_high, -measured.ci_low


def _bar(magnitude: float | None, smallest_effect: float) -> float:
    """How far the CI must reach on the claimed side: the smallest effect of interest, or half
    the claimed size when that is larger."""
    if not math.isfinite(smallest_effect) or smallest_effect < 0:
        raise SynthError(
            f"smallest effect {smallest_effect} is not a non-negative number",
            "give it in metric points, e.g. 1.0",
        )
    return max(smallest_effect, magnitude / 2 if magnitude is not None else 0.0)


def decide(
    spec_direction: Direction,
    magnitude: float | None,
    measured: Measured,
    smallest_effect: float = 1.0,
) -> Reproduced:
    """The verdict on a claim, for an increase (a decrease is mirrored):

    - NOT_REPRODUCED: the whole CI lies below the bar (``smallest_effect``, or half the claimed
      ``magnitude`` when larger): any effect is too small, absent or opposite;
    - REPRODUCED: otherwise, when the CI excludes 0 on the claimed side;
    - INCONCLUSIVE: otherwise (the CI spans 0 and the bar), and always with fewer than 2 seeds.
    """
    bar = _bar(magnitude, smallest_effect)
    if len(measured.seeds) < 2:
        return Reproduced.INCONCLUSIVE
    low, high = _claimed_side(spec_direction, measured)
    if high < bar:
        return Reproduced.NOT_REPRODUCED
    return Reproduced.REPRODUCED if low > 0 else Reproduced.INCONCLUSIVE


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def explain(
    outcome: Reproduced,
    spec_direction: Direction,
    magnitude: float | None,
    measured: Measured,
    smallest_effect: float = 1.0,
) -> str:
    """One sentence for reports: what was claimed, what was measured, and why the verdict."""
    article = "an" if spec_direction == Direction.INCREASE else "a"
    size = f" of {magnitude:g} points" if magnitude is not None else ""
    claimed = f"{article} {Direction(spec_direction).value}{size}"
    n = len(measured.seeds)
    seen = (
        f"{measured.baseline:.2f} -> {measured.intermediate:.2f}, change {measured.delta:+.2f} "
        + (f"({measured.interval}, {n} seeds)" if n >= 2 else "(1 seed, no confidence interval)")
    )
    high = _claimed_side(spec_direction, measured)[1]
    bar = _bar(magnitude, smallest_effect)
    if outcome == Reproduced.REPRODUCED:
        why = f"the interval lies on the claimed side of no change and reaches {_points(bar)}"
    elif outcome == Reproduced.NOT_REPRODUCED:
        if high <= 0:
            why = "the interval lies on the opposite side of no change"
        elif magnitude is not None and bar > smallest_effect:
            why = f"the interval does not reach half the claimed size ({_points(bar)})"
        else:
            why = f"the interval stays below {_points(bar)}, the smallest effect of interest"
    elif n < 2:
        why = "one seed cannot tell an effect from seed noise; run at least 2 seeds"
    else:
        why = "the interval includes no change"
    verdict = outcome.value.replace("_", " ").capitalize()
    return f"{verdict}: claimed {claimed}; measured {seen}; {why}."
