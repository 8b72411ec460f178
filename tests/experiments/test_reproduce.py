"""The tiny preset end to end on the real offline XTREME data: intermediate training (QA on the
TyDiQA stand-in for SQuAD), fine-tuning on English target data (paraphrase, POS, NER, QA),
zero-shot evaluation in German and Chinese, and the retrieval tasks (Tatoeba, BUCC); then
resuming, a verdict, and the result filed for audits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiments.data.local import LocalData
from experiments.records import LanguageScore, RunMetrics, TaskScores
from experiments.reproduce import reproduce, run_configs, table_rows
from experiments.runner import DONE
from experiments.spec import ClaimSpec, Direction
from experiments.summarize import load_runs, summarize, write_summary
from experiments.tasks import Metric
from synth.core.types import Reproduced

TARGETS = ("tatoeba", "bucc", "pawsx", "udpos", "panx", "xquad")


@pytest.fixture
def data(shared_data: Path, tmp_path: Path) -> LocalData:
    return LocalData(shared_data / "xtreme", snli_cache=tmp_path / "snli")


@pytest.fixture
def spec() -> ClaimSpec:
    return ClaimSpec(
        claim="Intermediate-task training on SQuAD improves every XTREME task.",
        intermediate=("squad",), targets=TARGETS, languages=("de", "zh"),
        direction=Direction.INCREASE,
    )  # fmt: skip


def test_tiny_preset_runs_all_three_phases_and_resumes(
    data: LocalData, spec: ClaimSpec, tiny_encoder: Path, tmp_path: Path
) -> None:
    lines: list[str] = []
    overrides = {"model": {"name": str(tiny_encoder)}, "runtime": {"device": "cpu"}}
    result = reproduce(spec, "tiny", data, tmp_path / "runs", overrides, lines.append)

    assert result.verdict in set(Reproduced)
    assert result.measured.seeds == (1, 2)
    assert len(result.run_dirs) == 4  # baseline and intermediate at two seeds
    scored = {(r.task, r.language) for r in result.table}
    assert scored == {
        ("tatoeba", "de"), ("tatoeba", "zh"), ("bucc", "zh"), ("pawsx", "de"), ("pawsx", "zh"),
        ("udpos", "de"), ("udpos", "zh"), ("panx", "de"), ("panx", "zh"), ("xquad", "de"),
        ("xquad", "zh"),
    }  # fmt: skip
    assert all(0 <= r.baseline <= 100 and 0 <= r.intermediate <= 100 for r in result.table)
    assert any("TyDiQA" in note for note in result.notes)  # the SQuAD stand-in is stated

    inter = Path(next(d for d in result.run_dirs if "squad" in d))
    assert (inter / "intermediate" / "encoder" / "model.safetensors").is_file()
    assert (inter / "intermediate" / DONE).is_file()
    for task in TARGETS:
        assert (inter / "targets" / task / DONE).is_file()
    stored = json.loads((inter / "config.json").read_text())
    assert stored["config"]["intermediate"] == ["squad"]
    assert "step" in (inter / "log.txt").read_text()

    # the same runs again: nothing is trained, the numbers are the same
    lines.clear()
    again = reproduce(spec, "tiny", data, tmp_path / "runs", overrides, lines.append)
    assert again.table == result.table
    assert not any("fine-tuning" in line or "step" in line for line in lines)

    # an interrupted run (one target phase unfinished) redoes just that phase, identically
    (inter / "targets" / "panx" / DONE).unlink()
    (inter / DONE).unlink()
    lines.clear()
    resumed = reproduce(spec, "tiny", data, tmp_path / "runs", overrides, lines.append)
    assert resumed.table == result.table
    assert any("panx: fine-tuning" in line for line in lines)
    assert not any("intermediate squad" in line for line in lines)

    summary = summarize(load_runs([Path(d) for d in result.run_dirs]))
    assert set(summary.deltas["squad"]) == set(TARGETS)
    written = write_summary(summary, tmp_path / "summary")
    assert {p.name for p in written} == {"summary.json", *(f"{t}.png" for t in TARGETS)}


def test_a_retrieval_only_baseline_runs_once_for_all_seeds(tiny_encoder: Path) -> None:
    spec = ClaimSpec(intermediate=("squad",), targets=("tatoeba",))
    overrides = {"model": {"name": str(tiny_encoder)}}
    plans = run_configs(spec, "lite", overrides)
    baselines = {c.config_hash() for arm, _, c in plans if arm == "baseline"}
    arms = {c.config_hash() for arm, _, c in plans if arm == "intermediate"}
    assert len(baselines) == 1 and len(arms) == 3


def test_table_rows_average_each_arm_over_seeds() -> None:
    def run(score: float) -> RunMetrics:
        xnli = TaskScores(
            task="xnli", metric=Metric.ACCURACY, languages={"de": LanguageScore(score=score)},
            average=score, sources=(), stand_ins=(),
        )  # fmt: skip
        return RunMetrics(
            hash="run_0", preset="tiny", seed=1, model="m", model_note="m", intermediate=(),
            stand_ins=(), targets={"xnli": xnli}, average=score,
        )  # fmt: skip

    rows = table_rows({"baseline": [run(40), run(42)], "intermediate": [run(50), run(54)]})
    assert [(r.task, r.language, r.baseline, r.intermediate) for r in rows] == [
        ("xnli", "de", 41, 52)
    ]
