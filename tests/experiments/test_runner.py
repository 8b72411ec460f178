"""Run folders: claimed once per config, refused to another, resumed by their markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiments.config import resolve
from experiments.data import Split
from experiments.records import LanguageScore, TaskScores
from experiments.runner import RunFolder, _cap
from experiments.tasks import Metric, PairExample, RetrievalSet
from synth.core.errors import SynthError


def test_a_folder_is_refused_to_another_config(tmp_path: Path) -> None:
    folder = RunFolder(tmp_path / "run")
    first = resolve({"targets": ["xnli"]})
    folder.claim(first)
    folder.claim(first)  # the same config resumes
    (tmp_path / "run" / "precious.txt").write_text("keep")
    with pytest.raises(SynthError, match="holds a run of another config"):
        folder.claim(resolve({"targets": ["xnli"], "seed": 7}))
    assert (tmp_path / "run" / "precious.txt").read_text() == "keep"


def test_a_non_empty_foreign_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("x")
    with pytest.raises(SynthError, match="not empty"):
        RunFolder(tmp_path).claim(resolve({"targets": ["xnli"]}))


def test_done_markers_and_metrics(tmp_path: Path) -> None:
    folder = RunFolder(tmp_path)
    assert not folder.done("targets/xnli")
    scores = TaskScores(
        task="xnli", metric=Metric.ACCURACY, languages={"de": LanguageScore(score=1.5)},
        average=1.5, sources=("here",), stand_ins=(),
    )  # fmt: skip
    folder.finish("targets/xnli", scores)
    assert folder.done("targets/xnli")
    assert folder.metrics("targets/xnli", TaskScores) == scores
    written = json.loads((tmp_path / "targets" / "xnli" / "metrics.json").read_text())
    assert written["languages"] == {"de": {"score": 1.5}}  # no null extras
    assert not list(tmp_path.rglob("*.partial"))


def test_cap_keeps_the_first_examples() -> None:
    split = Split([PairExample(str(i), "", 0) for i in range(10)], "here")
    assert [e.text_a for e in _cap(split, 3).examples] == ["0", "1", "2"]  # type: ignore[union-attr]
    assert _cap(split, None) is split


def test_cap_of_bucc_keeps_gold_pairs_and_distractors_aligned() -> None:
    rows = RetrievalSet(
        tuple(f"s{i}" for i in range(6)), tuple(f"e{i}" for i in range(8)),
        ((4, 7), (1, 2), (5, 0)),
    )  # fmt: skip
    capped = _cap(Split(rows, "here"), 2).examples
    assert isinstance(capped, RetrievalSet)
    pairs = [(capped.source[s], capped.english[e]) for s, e in capped.gold]
    assert pairs == [("s4", "e7"), ("s1", "e2")]
    assert len(capped.source) == 4 and len(capped.english) == 4  # 2 gold + 2 others each
