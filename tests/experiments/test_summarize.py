from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiments.records import LanguageScore, RunMetrics, TaskMeans, TaskScores
from experiments.runner import DONE
from experiments.summarize import load_runs, summarize, write_summary
from experiments.tasks import Metric
from synth.core.errors import SynthError


def _run(intermediate: tuple[str, ...], seed: int, de: float, fr: float) -> RunMetrics:
    scores = {"de": LanguageScore(score=de), "fr": LanguageScore(score=fr)}
    xnli = TaskScores(
        task="xnli", metric=Metric.ACCURACY, languages=scores, average=(de + fr) / 2,
        sources=("here",), stand_ins=("x",),
    )  # fmt: skip
    return RunMetrics(
        hash="run_0", preset="tiny", seed=seed, model="tiny-random", model_note="tiny",
        intermediate=intermediate, stand_ins=("x",), targets={"xnli": xnli}, average=xnli.average,
    )  # fmt: skip


def test_arms_are_averaged_over_seeds_and_compared_with_the_baseline() -> None:
    summary = summarize(
        [
            _run((), 1, 50, 60),
            _run((), 2, 52, 62),
            _run(("mnli",), 1, 55, 61),
            _run(("mnli",), 2, 57, 63),
        ]
    )
    assert summary.arms["baseline"].tasks["xnli"].languages == {"de": 51, "fr": 61}
    assert summary.arms["mnli"].seeds == (1, 2)
    assert summary.deltas["mnli"]["xnli"] == TaskMeans(average=3, languages={"de": 5, "fr": 1})
    assert summary.models == ("tiny",) and summary.stand_ins == ("x",)


def test_summary_writes_json_and_a_png_per_task(tmp_path: Path) -> None:
    files = write_summary(summarize([_run((), 1, 50, 60), _run(("mnli",), 1, 55, 61)]), tmp_path)
    assert [f.name for f in files] == ["summary.json", "xnli.png"]
    assert (tmp_path / "xnli.png").read_bytes().startswith(b"\x89PNG")
    written = json.loads((tmp_path / "summary.json").read_text())
    assert set(written) == {"arms", "deltas", "models", "stand_ins"}
    assert written["arms"]["mnli"] == {
        "seeds": [1], "tasks": {"xnli": {"average": 58.0, "languages": {"de": 55.0, "fr": 61.0}}}
    }  # fmt: skip


def test_unfinished_or_foreign_folders_are_named(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="not a run folder"):
        load_runs([tmp_path])
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(SynthError, match="has not finished"):
        load_runs([tmp_path])


def _finished(folder: Path, metrics: dict[str, object]) -> Path:
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "metrics.json").write_text(json.dumps(metrics))
    (folder / DONE).write_text("")
    return folder


def test_run_folders_written_before_the_records_still_load(tmp_path: Path) -> None:
    """metrics.json as runs wrote it when it was a plain dict (scores with and without
    their extras) reads back as the record, and dumps to the same JSON."""
    xnli = {"task": "xnli", "metric": "accuracy", "average": 50.0, "sources": ["local: x"],
            "languages": {"de": {"score": 50.0}}, "stand_ins": []}  # fmt: skip
    zh = {"score": 10.0, "threshold": 1.05}
    bucc = {"task": "bucc", "metric": "mining_f1", "average": 10.0, "sources": ["local: y"],
            "languages": {"zh": zh}, "stand_ins": ["dev"]}  # fmt: skip
    old = {"hash": "run_1", "preset": "tiny", "seed": 1, "model": "tiny-random",
           "model_note": "tiny", "intermediate": ["squad"], "stand_ins": ["dev"],
           "targets": {"xnli": xnli, "bucc": bucc}, "average": 30.0}  # fmt: skip
    (run,) = load_runs([_finished(tmp_path / "old", old)])
    assert run.arm == "squad" and run.targets["bucc"].languages["zh"].threshold == 1.05
    assert run.model_dump(mode="json", exclude_none=True) == old


def test_a_metrics_file_of_another_shape_is_named(tmp_path: Path) -> None:
    folder = _finished(tmp_path / "odd", {"average": 1.0})
    with pytest.raises(SynthError, match="not a RunMetrics of this version") as caught:
        load_runs([folder])
    assert str(folder / "metrics.json") in str(caught.value)
