"""A claim's experiment, end to end: the spec becomes a baseline run and an intermediate run
per seed (same seeds, same everything else), their scores become a paired delta with a
confidence interval, and the delta a verdict beside the claim.

The score of a run is the mean over the spec's target tasks of each task's average over its
languages (the XTREME score when the targets are all nine). A baseline scored only by retrieval
trains nothing, so one baseline run serves every seed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from experiments.config import PRESET_SEEDS, RunConfig, resolve
from experiments.data import DataSource
from experiments.records import BASELINE, RunMetrics
from experiments.runner import Runner
from experiments.spec import ClaimSpec, Direction
from experiments.stats import Measured, decide, explain, paired_delta
from experiments.summarize import mean_scores
from synth.core.types import Record, Reproduced

Log = Callable[[str], None]
INTERMEDIATE = "intermediate"  # the arm of the spec's intermediate task(s)


class Row(Record):
    """One task and language: each arm's score averaged over its runs."""

    task: str
    language: str
    baseline: float
    intermediate: float

    @property
    def delta(self) -> float:
        return self.intermediate - self.baseline


class Claimed(Record):
    """What the claim says: the direction of the change, and its size when it gives one."""

    direction: Direction
    magnitude: float | None


class Reproduction(Record):
    """What ``synth reproduce --json`` prints, and what an audit shows beside the claim."""

    claim: str
    spec: ClaimSpec
    preset: str
    model: str
    verdict: Reproduced
    claimed: Claimed
    measured: Measured
    table: tuple[Row, ...]
    run_dirs: tuple[str, ...]
    notes: tuple[str, ...] = ()
    explanation: str = ""


def run_configs(
    spec: ClaimSpec, preset: str, overrides: dict[str, Any], seeds: tuple[int, ...] | None = None
) -> list[tuple[str, int, RunConfig]]:
    """(arm, seed, config) for the baseline and the intermediate arm at every seed."""
    plans = []
    for seed in seeds or PRESET_SEEDS[preset]:
        for arm, intermediate in ((BASELINE, ()), (INTERMEDIATE, spec.intermediate)):
            values = {
                **overrides, "preset": preset, "seed": seed, "intermediate": list(intermediate),
                "targets": list(spec.targets), "languages": list(spec.languages),
            }  # fmt: skip
            config = resolve(values, f"preset {preset}")
            if not config.trains_anything():
                config = config.model_copy(update={"seed": 0})
            plans.append((arm, seed, config))
    return plans


def folder_name(config: RunConfig) -> str:
    arm = "+".join(config.intermediate) or BASELINE
    return f"{config.preset}-{arm}-s{config.seed}-{config.config_hash()[4:12]}"


def table_rows(runs: dict[str, list[RunMetrics]]) -> tuple[Row, ...]:
    """Per task and language, each arm's score averaged over its runs."""
    base, inter = mean_scores(runs[BASELINE]), mean_scores(runs[INTERMEDIATE])
    return tuple(
        Row(task=t, language=lang, baseline=score, intermediate=inter[t].languages[lang])
        for t in sorted(base)
        for lang, score in sorted(base[t].languages.items())
        if t in inter and lang in inter[t].languages
    )


def reproduce(
    spec: ClaimSpec, preset: str, data: DataSource, runs_dir: Path, overrides: dict[str, Any],
    echo: Log, seeds: tuple[int, ...] | None = None,
) -> Reproduction:  # fmt: skip
    """Run (or resume) every run of the spec and judge the claim on their scores."""
    scores: dict[str, dict[int, float]] = {BASELINE: {}, INTERMEDIATE: {}}
    runs: dict[str, list[RunMetrics]] = {BASELINE: [], INTERMEDIATE: []}
    folders: list[str] = []
    notes: set[str] = set()
    cache: dict[str, RunMetrics] = {}
    model_note = ""
    for arm, seed, config in run_configs(spec, preset, overrides, seeds):
        folder = runs_dir / folder_name(config)
        if str(folder) not in cache:
            echo(f"{arm} run, seed {config.seed}: {folder}")
            cache[str(folder)] = Runner(config, folder, data, echo).run()
            folders.append(str(folder))
        metrics = cache[str(folder)]
        scores[arm][seed] = metrics.average
        runs[arm].append(metrics)
        notes.update(metrics.stand_ins)
        model_note = metrics.model_note
    measured = paired_delta(scores[BASELINE], scores[INTERMEDIATE])
    outcome = decide(spec.direction, spec.magnitude, measured)
    return Reproduction(
        claim=spec.claim, spec=spec, preset=preset, model=model_note, verdict=outcome,
        claimed=Claimed(direction=spec.direction, magnitude=spec.magnitude),
        measured=measured, table=table_rows(runs), run_dirs=tuple(folders),
        notes=tuple(sorted(notes)),
        explanation=explain(outcome, spec.direction, spec.magnitude, measured),
    )  # fmt: skip
