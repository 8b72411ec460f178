"""The records a run writes and synth reads back: frozen, typed, and the JSON of a run folder.

A target phase writes :class:`TaskScores` (``targets/<task>/metrics.json``), the intermediate
phase :class:`IntermediateMetrics`, a finished run :class:`RunMetrics` (``metrics.json``);
``synth experiments summarize`` makes a :class:`Summary` of runs. Their JSON keys are those
run folders have always held, so older folders load; one that does not fit is named.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from experiments.tasks import Metric
from synth.core.errors import SynthError, invalid
from synth.core.files import write_json
from synth.core.types import Record

R = TypeVar("R", bound=Record)
BASELINE = "baseline"  # the arm without intermediate training


class LanguageScore(Record):
    """One language's result on the task's 0-100 scale."""

    score: float  # the task's metric
    exact_match: float | None = None  # QA, beside its F1
    threshold: float | None = None  # BUCC: the similarity cut-off it chose


class TaskScores(Record):
    """A target task's scores: per language, and their average."""

    task: str
    metric: Metric
    languages: dict[str, LanguageScore]
    average: float
    sources: tuple[str, ...]  # where each language's examples came from
    stand_ins: tuple[str, ...]  # the substitutes for the paper's data, if any


class TrainStats(Record):
    """What a training loop did: examples, optimiser steps, non-padding tokens, time."""

    examples: int
    steps: int
    tokens: int
    seconds: float
    final_loss: float


class IntermediateMetrics(TrainStats):
    """The intermediate phase: its training, and the stand-ins its data used."""

    stand_ins: tuple[str, ...]


class RunMetrics(Record):
    """A finished run: its config hash, what it ran and every target's scores."""

    hash: str
    preset: str
    seed: int
    model: str  # as configured
    model_note: str  # what the encoder is, in words
    intermediate: tuple[str, ...]
    stand_ins: tuple[str, ...]
    targets: dict[str, TaskScores]
    average: float  # the mean of the targets' averages

    @property
    def arm(self) -> str:
        """``baseline``, or the intermediate tasks joined by ``+``."""
        return "+".join(self.intermediate) or BASELINE


class TaskMeans(Record):
    """Per language a score (or a difference) averaged over seeds, and over languages."""

    average: float
    languages: dict[str, float]


class Arm(Record):
    seeds: tuple[int, ...]
    tasks: dict[str, TaskMeans]


class Summary(Record):
    """Runs grouped by arm (baseline or intermediate tasks), each averaged over its seeds;
    ``deltas`` per arm and task: the arm minus the baseline, on the languages both have."""

    arms: dict[str, Arm]
    deltas: dict[str, dict[str, TaskMeans]]
    models: tuple[str, ...]
    stand_ins: tuple[str, ...]


REDO = "delete the run folder to redo it"


def write_record(path: Path, record: Record) -> None:
    """``record`` as JSON at ``path``, atomically; unset optional scores are left out."""
    write_json(path, record.model_dump(mode="json", exclude_none=True))


def read_json(path: Path) -> Any:
    """A run folder's JSON file; SynthError naming it when it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SynthError(f"{path}: unreadable ({exc})", REDO) from exc


def read_record(path: Path, kind: type[R]) -> R:
    """The record of type ``kind`` in ``path``; BadInput naming the file and the key that
    does not fit (a folder written by another version), SynthError when unreadable."""
    payload = read_json(path)
    try:
        return kind.model_validate(payload)
    except ValidationError as exc:
        raise invalid(exc, f"{path} (not a {kind.__name__} of this version)", REDO) from exc
