"""`synth reproduce` and `synth experiments` as a user runs them: the tiny encoder built in the
test, the real offline XTREME data, real run folders under the test's SYNTH_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()
JSON_KEYS = {"claim", "spec", "preset", "model", "verdict", "claimed", "measured", "table",
             "run_dirs"}  # fmt: skip
CLAIM = "Intermediate-task training on SQuAD yields large improvements on Tatoeba"


@pytest.fixture
def xtreme(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYNTH_EXPERIMENTS_DATA_DIR", str(shared_data / "xtreme"))
    return shared_data / "xtreme"


def test_list_tasks_shows_both_roles() -> None:
    result = runner.invoke(app, ["experiments", "list-tasks"])
    assert result.exit_code == 0, result.output
    for name in ("squad", "hellaswag", "tatoeba", "pawsx", "intermediate", "target"):
        assert name in result.output


def test_reproduce_prints_the_result_as_json_and_files_it_for_audits(
    xtreme: Path, tiny_encoder: Path, tmp_path: Path, synth_home: Path
) -> None:
    args = ["reproduce", CLAIM, "--preset", "tiny", "--model", str(tiny_encoder),
            "--device", "cpu", "--out-dir", str(tmp_path), "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) >= JSON_KEYS
    assert payload["verdict"] in {"REPRODUCED", "NOT_REPRODUCED", "INCONCLUSIVE"}
    assert payload["spec"]["intermediate"] == ["squad"]
    assert set(payload["measured"]) >= {"delta", "ci_low", "ci_high", "seeds"}
    assert {row["task"] for row in payload["table"]} == {"tatoeba"}
    assert len(payload["table"]) == 36  # every Tatoeba language
    folder = tmp_path / "reproduce-intermediate-task-training-on-squad-yields-large"
    assert (folder / "tatoeba.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((folder / "reproduction.json").read_text())["verdict"] == payload["verdict"]
    assert list((synth_home / "reproductions").glob("*.json"))


def test_a_claim_without_tasks_is_refused_with_the_valid_ones(xtreme: Path) -> None:
    result = runner.invoke(app, ["reproduce", "Bigger models are better.", "--preset", "tiny"])
    assert result.exit_code == 1
    assert "squad" in result.output and "tatoeba" in result.output


def test_an_unknown_task_option_lists_the_valid_ones(xtreme: Path) -> None:
    args = ["reproduce", CLAIM, "--intermediate", "squid", "--preset", "tiny"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "squid" in result.output and "hellaswag" in result.output


def test_cuda_asked_for_without_cuda(xtreme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    result = runner.invoke(app, ["reproduce", CLAIM, "--preset", "tiny", "--device", "cuda"])
    assert result.exit_code == 1
    assert "no usable CUDA" in result.output


def test_run_resumes_refuses_another_config_and_summarizes(
    xtreme: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    config = tmp_path / "run.toml"
    config.write_text(
        f'preset = "tiny"\nintermediate = ["squad"]\ntargets = ["udpos", "bucc"]\n'
        f'languages = ["zh"]\n[model]\nname = "{tiny_encoder}"\n'
    )
    run_dir = tmp_path / "run"
    first = runner.invoke(app, ["experiments", "run", str(config), "--run-dir", str(run_dir)])
    assert first.exit_code == 0, first.output
    assert "udpos:" in first.output and "bucc:" in first.output
    again = runner.invoke(app, ["experiments", "run", str(config), "--run-dir", str(run_dir)])
    assert again.exit_code == 0 and again.stdout == first.stdout
    assert "fine-tuning" not in again.output  # resumed: nothing re-run

    config.write_text(
        config.read_text().replace('targets = ["udpos", "bucc"]', 'targets = ["udpos"]')
    )
    refused = runner.invoke(app, ["experiments", "run", str(config), "--run-dir", str(run_dir)])
    assert refused.exit_code == 1
    assert "holds a run of another config" in refused.output

    summary = runner.invoke(
        app, ["experiments", "summarize", str(run_dir), "--out", str(tmp_path / "s")]
    )
    assert summary.exit_code == 0, summary.output
    assert (tmp_path / "s" / "udpos.png").is_file()
    assert json.loads((tmp_path / "s" / "summary.json").read_text())["arms"]["squad"]


def test_missing_data_folder_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_encoder: Path
) -> None:
    monkeypatch.setenv("SYNTH_EXPERIMENTS_DATA_DIR", str(tmp_path / "nowhere"))
    args = ["reproduce", CLAIM, "--preset", "tiny", "--model", str(tiny_encoder)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "nowhere" in result.output


def test_missing_experiments_extra_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from synth.api import experiments

    monkeypatch.setattr(experiments, "EXTRA_MODULES", {"no_such_module": "no-such-package"})
    result = runner.invoke(app, ["reproduce", CLAIM, "--preset", "tiny"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "(no-such-package)" in result.output
    assert "pip install 'synth[experiments]'" in result.output


def test_list_tasks_json() -> None:
    result = runner.invoke(app, ["experiments", "list-tasks", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "synth.tasks/1"
    keys = {"name", "title", "role", "kind", "metric", "english_train", "offline_train",
            "languages", "offline_languages"}  # fmt: skip
    assert all(set(t) == keys for t in data["tasks"])
    xnli = next(t for t in data["tasks"] if t["name"] == "xnli")
    assert xnli["role"] == "target" and len(xnli["languages"]) == 15
