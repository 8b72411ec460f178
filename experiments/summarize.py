"""Runs -> the XTREME table: per task and language, each arm (baseline, or the intermediate
tasks) averaged over its seeds, with the delta against the baseline; per-language bar charts
(baseline vs. intermediate) as PNG next to the JSON. matplotlib is imported lazily.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from experiments.records import BASELINE, Arm, RunMetrics, Summary, TaskMeans, write_record
from experiments.runner import RunFolder
from synth.core.errors import SynthError


def load_runs(folders: Sequence[Path]) -> list[RunMetrics]:
    """The metrics of finished runs; an unfinished or foreign folder is an error naming it."""
    runs = []
    for path in folders:
        folder = RunFolder(path)
        if not (path / "config.json").exists():
            raise SynthError(f"{path} is not a run folder (no config.json)", "give run folders")
        if not folder.done():
            raise SynthError(
                f"{path}: the run has not finished", "run `synth experiments run` on it again"
            )
        runs.append(folder.metrics("", RunMetrics))
    return runs


def summarize(runs: Sequence[RunMetrics]) -> Summary:
    """Each arm averaged over its seeds, and each arm's difference from the baseline."""
    grouped: dict[str, list[RunMetrics]] = {}
    for run in runs:
        grouped.setdefault(run.arm, []).append(run)
    arms = {
        arm: Arm(seeds=tuple(sorted(r.seed for r in members)), tasks=mean_scores(members))
        for arm, members in grouped.items()
    }
    deltas = {}
    if BASELINE in arms:
        base = arms[BASELINE].tasks
        deltas = {arm: _delta(a.tasks, base) for arm, a in arms.items() if arm != BASELINE}
    return Summary(
        arms=arms, deltas=deltas, models=tuple(sorted({r.model_note for r in runs})),
        stand_ins=tuple(sorted({s for r in runs for s in r.stand_ins})),
    )  # fmt: skip


def mean_scores(runs: Sequence[RunMetrics]) -> dict[str, TaskMeans]:
    """Per target task of the first run: each language's score averaged over ``runs``, and
    the task's average over its languages."""
    tasks: dict[str, TaskMeans] = {}
    for name in runs[0].targets:
        languages: dict[str, list[float]] = {}
        for run in runs:
            scores = run.targets[name].languages if name in run.targets else {}
            for lang, score in scores.items():
                languages.setdefault(lang, []).append(score.score)
        means = {lang: sum(v) / len(v) for lang, v in languages.items()}
        tasks[name] = TaskMeans(average=sum(means.values()) / len(means), languages=means)
    return tasks


def _delta(tasks: dict[str, TaskMeans], base: dict[str, TaskMeans]) -> dict[str, TaskMeans]:
    out = {}
    for name, result in tasks.items():
        if name not in base:
            continue
        before = base[name].languages
        diffs = {lang: v - before[lang] for lang, v in result.languages.items() if lang in before}
        out[name] = TaskMeans(average=sum(diffs.values()) / max(1, len(diffs)), languages=diffs)
    return out


def bar_chart(
    task: str, languages: Sequence[str], series: Mapping[str, Sequence[float]], path: Path
) -> Path:
    """Grouped bars per language, one colour per arm."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    width = 0.8 / max(1, len(series))
    fig, ax = plt.subplots(figsize=(min(16.0, max(6.0, 0.3 * len(languages) + 2)), 3.6))
    for number, (arm, values) in enumerate(series.items()):
        xs = [i + (number - (len(series) - 1) / 2) * width for i in range(len(languages))]
        ax.bar(xs, values, width, label=arm)
    ax.set_xticks(range(len(languages)), list(languages), rotation=90 if len(languages) > 24 else 0)
    ax.set_xlim(-0.6, len(languages) - 0.4)
    ax.set_ylabel("score")
    ax.set_title(f"{task}: {' vs. '.join(series)}, per language")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.png")
    fig.savefig(partial, dpi=110)
    plt.close(fig)
    partial.replace(path)
    return path


def write_summary(summary: Summary, out_dir: Path) -> list[Path]:
    """summary.json and one chart per target task (every arm beside the baseline)."""
    write_record(out_dir / "summary.json", summary)
    written = [out_dir / "summary.json"]
    arms = summary.arms
    for task in sorted({t for arm in arms.values() for t in arm.tasks}):
        present = {a: r.tasks[task].languages for a, r in arms.items() if task in r.tasks}
        languages = sorted({lang for scores in present.values() for lang in scores})
        series = {a: [s.get(lang, 0.0) for lang in languages] for a, s in present.items()}
        written.append(bar_chart(task, languages, series, out_dir / f"{task}.png"))
    return written
