"""The experiments API as the Session and the CLI call it: the extra's check, the callback
for what a claim leaves open, the files of a reproduction, one config run and a summary
(the tiny encoder built in the test, the real offline XTREME data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth.api import experiments
from synth.core.errors import BadInput, SynthError
from synth.core.settings import Settings

CLAIM = "Intermediate training helps Tatoeba in German"  # names no intermediate task


@pytest.fixture
def settings(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SYNTH_EXPERIMENTS_DATA_DIR", str(shared_data / "xtreme"))
    return Settings()


def test_a_missing_extra_is_one_line_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extra = {"matplotlib": "matplotlib", "no_such_module": "no-such-package"}
    monkeypatch.setattr(experiments, "EXTRA_MODULES", extra)
    with pytest.raises(SynthError) as caught:
        experiments.reproduce(Settings(), CLAIM, preset="tiny")
    assert "(no-such-package)" in str(caught.value)
    assert "matplotlib" not in str(caught.value)
    assert caught.value.hint == "pip install 'synth[experiments]'"
    assert "\n" not in str(caught.value)


def test_without_ask_an_open_question_is_raised(settings: Settings) -> None:
    from experiments.spec import AmbiguousClaim

    with pytest.raises(AmbiguousClaim) as caught:
        experiments.reproduce(settings, CLAIM, preset="tiny")
    assert caught.value.field == "intermediate" and "squad" in caught.value.options
    with pytest.raises(BadInput, match="unknown direction 'sideways'"):
        experiments.reproduce(settings, CLAIM, preset="tiny", direction="sideways")
    with pytest.raises(BadInput, match="no claim to reproduce"):
        experiments.reproduce(settings, preset="tiny")


def test_reproduce_asks_runs_and_writes_its_files(
    settings: Settings, tiny_encoder: Path, tmp_path: Path, synth_home: Path
) -> None:
    asked: list[str] = []
    lines: list[str] = []

    def ask(exc: experiments.AmbiguousClaim) -> list[str]:
        asked.append(exc.field)
        return ["squad"]

    result = experiments.reproduce(
        settings, CLAIM, preset="tiny", model=str(tiny_encoder), device="cpu", ask=ask,
        log=lines.append,
    )  # fmt: skip
    assert asked == ["intermediate"]
    assert result.spec.intermediate == ("squad",) and result.spec.languages == ("de",)
    assert [(r.task, r.language) for r in result.table] == [("tatoeba", "de")]
    assert result.claimed.direction == "increase" and result.claimed.magnitude is None
    assert any("intermediate squad" in line for line in lines)

    folder = experiments.reproduction_folder(tmp_path, result)
    assert folder == tmp_path / "reproduce-intermediate-training-helps-tatoeba-in-german"
    files = experiments.write_reproduction(result, folder, settings)
    assert [f.name for f in files[:2]] == ["reproduction.json", "tatoeba.png"]
    assert files[-1].parent == synth_home / "reproductions"
    payload = json.loads((folder / "reproduction.json").read_text())
    assert payload["claimed"] == {"direction": "increase", "magnitude": None}
    assert json.loads(files[-1].read_text()) == payload


def test_run_config_then_summarize_runs(
    settings: Settings, tiny_encoder: Path, tmp_path: Path
) -> None:
    config = tmp_path / "run.toml"
    config.write_text(
        f'preset = "tiny"\ntargets = ["tatoeba"]\nlanguages = ["de"]\n'
        f'[model]\nname = "{tiny_encoder}"\n'
    )
    metrics, folder = experiments.run_config(settings, config, device="cpu")
    assert folder.parent == settings.runs_dir and folder.name.startswith("tiny-baseline-s1-")
    assert set(metrics.targets) == {"tatoeba"} and metrics.arm == "baseline"
    assert metrics.targets["tatoeba"].languages["de"].score == metrics.average

    summary, files = experiments.summarize_runs([folder], tmp_path / "summary")
    assert summary.arms["baseline"].tasks["tatoeba"].average == metrics.average
    assert summary.deltas == {}
    assert [f.name for f in files] == ["summary.json", "tatoeba.png"]
    with pytest.raises(BadInput, match="no run folder"):
        experiments.summarize_runs([])


def test_tasks_lists_both_roles() -> None:
    roles = {task.name: task.role.value for task in experiments.tasks()}
    assert roles["squad"] == "intermediate" and roles["tatoeba"] == "target"
