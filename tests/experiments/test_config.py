from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from experiments.config import load_config, resolve
from synth.core.errors import SynthError


def test_preset_values_are_overridden_by_the_file(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text(
        'preset = "tiny"\nintermediate = ["SQuAD"]\ntargets = ["Tatoeba", "PAWS-X"]\n'
        "[target_train]\nlr = 0.5\n"
    )
    config = load_config(path)
    assert config.intermediate == ("squad",)
    assert config.targets == ("tatoeba", "pawsx")
    assert config.target_train.lr == 0.5
    assert config.target_train.batch_size == 16  # from the preset
    assert config.model.name == "tiny-random"


def test_hash_changes_with_anything_that_changes_a_number() -> None:
    base = resolve({"targets": ["xnli"]})
    assert base.config_hash() == resolve({"targets": ["xnli"]}).config_hash()
    assert base.config_hash() != resolve({"targets": ["xnli"], "seed": 2}).config_hash()
    assert base.config_hash() != resolve({"targets": ["xnli"], "data": "hub"}).config_hash()


def test_retrieval_only_baseline_trains_nothing() -> None:
    assert not resolve({"targets": ["tatoeba", "bucc"]}).trains_anything()
    assert resolve({"targets": ["tatoeba"], "intermediate": ["mnli"]}).trains_anything()
    assert resolve({"targets": ["xnli"]}).trains_anything()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('targets = ["xnli"]\nintermediate = ["xnli"]', "unknown intermediate task 'xnli'"),
        ('targets = ["mnli"]', "unknown target task 'mnli'"),
        ('preset = "huge"\ntargets = ["xnli"]', "unknown preset 'huge'"),
        ("targets = []", "no target task"),
        ('targets = ["xnli"]\nseed = "one"', "seed"),
        ('targets = ["xnli"]\nbogus = 1', "bogus"),
        ("targets = [", "not valid TOML"),
    ],
)
def test_bad_configs_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "run.toml"
    path.write_text(text)
    with pytest.raises(SynthError, match=message):
        load_config(path)


def test_unknown_task_lists_the_valid_ones(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text('targets = ["xnly"]')
    with pytest.raises(SynthError) as caught:
        load_config(path)
    assert "tatoeba" in (caught.value.hint or "")


@pytest.mark.parametrize("path", sorted((REPO / "experiments" / "configs").glob("*.toml")))
def test_shipped_configs_resolve(path: Path) -> None:
    assert load_config(path).targets


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="no config file"):
        load_config(tmp_path / "nope.toml")


def test_tiny_and_lite_hashes_are_those_of_runs_made_before_per_task_schedules() -> None:
    """Folders of earlier runs keep their names: no schedule, no change to the hash."""
    values = {"targets": ["xnli", "tatoeba"], "intermediate": ["squad"]}
    assert resolve({**values, "preset": "tiny"}).config_hash() == "run_6ed2b021b3f6cd8a"
    assert resolve({**values, "preset": "lite"}).config_hash() == "run_da79af4128c4a9f5"
    lite = {"preset": "lite", "targets": ["tatoeba"], "intermediate": ["squad"], "seed": 2,
            "languages": ["de"], "data": "hub"}  # fmt: skip
    assert resolve(lite).config_hash() == "run_7bcee58b072cd52f"


def test_full_preset_takes_the_papers_appendix_values() -> None:
    """arXiv:2005.13013v1, appendix A: Table 3 (intermediate, lr 1e-5), Table 4 (targets,
    lr 3e-6), the 13th layer for BUCC and Tatoeba."""
    config = resolve(
        {"preset": "full", "intermediate": ["cosmosqa"], "targets": ["pawsx", "udpos", "bucc"]}
    )
    cosmos, pawsx, udpos = (config.train_config(t) for t in ("cosmosqa", "pawsx", "udpos"))
    assert (cosmos.lr, cosmos.batch_size, cosmos.epochs, cosmos.warmup) == (1e-5, 4, 15, 0.1)
    assert config.intermediate_config() == cosmos
    assert (pawsx.lr, pawsx.batch_size, pawsx.epochs) == (3e-6, 32, 5)
    assert (udpos.lr, udpos.batch_size, udpos.epochs) == (3e-6, 32, 10)
    assert config.model.name == "xlm-roberta-large" and config.model.retrieval_layer == 13
    assert set(config.schedules) == {"cosmosqa", "pawsx", "udpos"}  # only the run's tasks
    squad = resolve({"preset": "full", "intermediate": ["squad"], "targets": ["xnli"]})
    assert (squad.intermediate_config().batch_size, squad.intermediate_config().epochs) == (8, 3)
    assert (squad.train_config("xnli").batch_size, squad.train_config("xnli").epochs) == (4, 2)


def test_a_schedule_is_layered_and_part_of_the_hash(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text(
        'preset = "full"\nintermediate = ["hellaswag", "qqp"]\ntargets = ["PAWS-X", "xquad"]\n'
        "[target_train]\nepochs = 1\n[schedules.paws-x]\nlr = 1e-5\n"
    )
    config = load_config(path)
    pawsx, xquad = config.train_config("pawsx"), config.train_config("xquad")
    assert (pawsx.lr, pawsx.batch_size, pawsx.epochs) == (1e-5, 32, 1)  # file over preset
    assert (xquad.lr, xquad.batch_size, xquad.epochs) == (3e-6, 16, 1)
    assert config.intermediate_config() == config.intermediate_train  # multi-task: the role's
    assert resolve(config.model_dump()) == config  # a resolved config resolves to itself
    other = resolve({**config.model_dump(), "schedules": {"pawsx": {"lr": 2e-5}}})
    assert other.config_hash() != config.config_hash()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('targets = ["xnli"]\n[schedules.xnlj]\nepochs = 1', "unknown task 'xnlj'"),
        ('targets = ["xnli"]\n[schedules.pawsx]\nepochs = 0', "schedules.pawsx: epochs"),
        ('targets = ["xnli"]\nschedules = 3', "schedules: expected a table"),
        ('targets = ["xnli"]\n[schedules]\nxnli = 2', "schedules.xnli: expected a table"),
    ],
)
def test_bad_schedules_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "run.toml"
    path.write_text(text)
    with pytest.raises(SynthError, match=message):
        load_config(path)
