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
