from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from experiments.summarize import load_runs, summarize, write_summary
from synth.core.errors import SynthError


def _run(intermediate: list[str], seed: int, de: float, fr: float) -> dict[str, Any]:
    return {
        "seed": seed, "intermediate": intermediate, "model_note": "tiny", "stand_ins": ["x"],
        "targets": {"xnli": {"languages": {"de": {"score": de}, "fr": {"score": fr}}}},
    }  # fmt: skip


def test_arms_are_averaged_over_seeds_and_compared_with_the_baseline() -> None:
    summary = summarize(
        [
            _run([], 1, 50, 60),
            _run([], 2, 52, 62),
            _run(["mnli"], 1, 55, 61),
            _run(["mnli"], 2, 57, 63),
        ]
    )
    assert summary["arms"]["baseline"]["tasks"]["xnli"]["languages"] == {"de": 51, "fr": 61}
    assert summary["arms"]["mnli"]["seeds"] == [1, 2]
    delta = summary["deltas"]["mnli"]["xnli"]
    assert delta["languages"] == {"de": 5, "fr": 1}
    assert delta["average"] == 3


def test_summary_writes_json_and_a_png_per_task(tmp_path: Path) -> None:
    files = write_summary(summarize([_run([], 1, 50, 60), _run(["mnli"], 1, 55, 61)]), tmp_path)
    assert [f.name for f in files] == ["summary.json", "xnli.png"]
    assert (tmp_path / "xnli.png").read_bytes().startswith(b"\x89PNG")


def test_unfinished_or_foreign_folders_are_named(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="not a run folder"):
        load_runs([tmp_path])
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(SynthError, match="has not finished"):
        load_runs([tmp_path])
