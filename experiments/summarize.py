"""Runs -> the XTREME table: per task and language, each arm (baseline, or the intermediate
tasks) averaged over its seeds, with the delta against the baseline; per-language bar charts
(baseline vs. intermediate) as PNG next to the JSON. matplotlib is imported lazily.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from experiments.runner import RunFolder
from synth.core.errors import SynthError
from synth.core.files import write_json

BASELINE = "baseline"


def load_runs(folders: Sequence[Path]) -> list[dict[str, Any]]:
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
        runs.append(folder.metrics())
    return runs


def arm_of(run: dict[str, Any]) -> str:
    return "+".join(run["intermediate"]) or BASELINE


def summarize(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``{"arms": {arm: {"seeds", "tasks": {task: {"average", "languages": {lang: score}}}}},
    "deltas": {arm: {task: {"average", "languages"}}}, "models", "stand_ins"}``."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        grouped.setdefault(arm_of(run), []).append(run)
    arms = {arm: _mean_arm(members) for arm, members in grouped.items()}
    deltas = {}
    if BASELINE in arms:
        base = arms[BASELINE]["tasks"]
        for arm, result in arms.items():
            if arm != BASELINE:
                deltas[arm] = _delta(result["tasks"], base)
    return {
        "arms": arms,
        "deltas": deltas,
        "models": sorted({r["model_note"] for r in runs}),
        "stand_ins": sorted({s for r in runs for s in r["stand_ins"]}),
    }


def _mean_arm(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"seeds": sorted(r["seed"] for r in runs), "tasks": mean_scores(runs)}


def mean_scores(runs: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per target task of the first run: each language's score averaged over ``runs``, and
    the task's average over its languages."""
    tasks: dict[str, dict[str, Any]] = {}
    for name in runs[0]["targets"]:
        languages: dict[str, list[float]] = {}
        for run in runs:
            for lang, score in run["targets"].get(name, {}).get("languages", {}).items():
                languages.setdefault(lang, []).append(float(score["score"]))
        means = {lang: sum(v) / len(v) for lang, v in languages.items()}
        tasks[name] = {"average": sum(means.values()) / len(means), "languages": means}
    return tasks


def _delta(tasks: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, result in tasks.items():
        if name not in base:
            continue
        shared = [lang for lang in result["languages"] if lang in base[name]["languages"]]
        diffs = {lang: result["languages"][lang] - base[name]["languages"][lang] for lang in shared}
        out[name] = {"average": sum(diffs.values()) / max(1, len(diffs)), "languages": diffs}
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


def write_summary(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """summary.json and one chart per target task (every arm beside the baseline)."""
    write_json(out_dir / "summary.json", summary)
    written = [out_dir / "summary.json"]
    arms = summary["arms"]
    tasks = sorted({t for arm in arms.values() for t in arm["tasks"]})
    for task in tasks:
        present = {a: r["tasks"][task]["languages"] for a, r in arms.items() if task in r["tasks"]}
        languages = sorted({lang for scores in present.values() for lang in scores})
        series = {a: [s.get(lang, 0.0) for lang in languages] for a, s in present.items()}
        written.append(bar_chart(task, languages, series, out_dir / f"{task}.png"))
    return written
