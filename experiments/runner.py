"""One run, phase by phase, in its own folder (as jiant keeps runs):

    RUN_DIR/config.json              the resolved config and its hash
    RUN_DIR/log.txt                  what happened, appended
    RUN_DIR/intermediate/encoder/    the encoder after intermediate training (+ stats.json, DONE)
    RUN_DIR/targets/<task>/          metrics.json + DONE per target task
    RUN_DIR/metrics.json + DONE      every target's scores, the XTREME-style average

A phase whose DONE marker exists is skipped, so an interrupted run resumes where it stopped;
files are written beside their final name and renamed, so nothing is left half-written. A
folder holding another config is refused, never overwritten.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from experiments.config import RunConfig
from experiments.data import DataSource, Split
from experiments.encoders import describe
from experiments.records import (
    IntermediateMetrics,
    LanguageScore,
    R,
    RunMetrics,
    TaskScores,
    read_json,
    read_record,
    write_record,
)
from experiments.tasks import Kind, RetrievalSet, Task, get_task
from synth.core.errors import SynthError
from synth.core.files import write_json
from synth.core.types import Record

if TYPE_CHECKING:
    from experiments.encoders import Encoder

Log = Callable[[str], None]
DONE = "DONE"


@dataclass(frozen=True)
class RunFolder:
    path: Path

    def claim(self, config: RunConfig) -> None:
        """Take the folder for ``config``; refuse one that holds a different config."""
        stored = self.path / "config.json"
        digest = config.config_hash()
        if stored.exists():
            found = read_json(stored).get("hash")
            if found != digest:
                raise SynthError(
                    f"{self.path} holds a run of another config ({found}, this one is {digest})",
                    "give another run folder; nothing there was changed",
                )
            return
        if self.path.exists() and any(self.path.iterdir()):
            raise SynthError(
                f"{self.path} is not empty and holds no run config",
                "give an empty or new run folder",
            )
        write_json(stored, {"hash": digest, "config": config.model_dump(mode="json")})

    def done(self, phase: str = "") -> bool:
        return (self.path / phase / DONE).exists()

    def finish(self, phase: str, metrics: Record) -> None:
        """Write the phase's metrics.json, then its DONE marker."""
        write_record(self.path / phase / "metrics.json", metrics)
        (self.path / phase / DONE).write_text(time.strftime("%Y-%m-%dT%H:%M:%S\n"))

    def metrics(self, phase: str, kind: type[R]) -> R:
        """The metrics.json of a finished ``phase`` ("" for the run) as a ``kind`` record."""
        return read_record(self.path / phase / "metrics.json", kind)

    def logger(self, echo: Log) -> Log:
        def log(line: str) -> None:
            stamped = f"{time.strftime('%H:%M:%S')} {line}"
            with (self.path / "log.txt").open("a", encoding="utf-8") as handle:
                handle.write(stamped + "\n")
            echo(line)

        return log


def evaluation_languages(task: Task, data: DataSource, wanted: tuple[str, ...]) -> list[str]:
    available = data.languages(task)
    if not wanted:
        return list(available)
    chosen = [lang for lang in available if lang in wanted]
    if not chosen:
        raise SynthError(
            f"{task.name} has no evaluation data for {', '.join(wanted)}",
            f"choose among {', '.join(available)}",
        )
    return chosen


def _cap(split: Split, limit: int | None) -> Split:
    """The first ``limit`` examples (BUCC: the first ``limit`` gold pairs and as many
    sentences without a partner on each side, in their original order)."""
    if limit is None:
        return split
    rows = split.examples
    if not isinstance(rows, RetrievalSet):
        return Split(rows[:limit], split.source, split.stand_in, split.labels)
    gold = rows.gold[:limit]

    def keep(size: int, paired: set[int]) -> list[int]:
        return sorted(paired | set([i for i in range(size) if i not in paired][:limit]))

    src = keep(len(rows.source), {s for s, _ in gold})
    eng = keep(len(rows.english), {e for _, e in gold})
    src_at, eng_at = {old: new for new, old in enumerate(src)}, {o: n for n, o in enumerate(eng)}
    capped = RetrievalSet(
        tuple(rows.source[i] for i in src),
        tuple(rows.english[i] for i in eng),
        tuple((src_at[s], eng_at[e]) for s, e in gold),
    )
    return Split(capped, split.source, split.stand_in, split.labels)


class Runner:
    """Runs a config's phases in a folder (see the module docstring)."""

    def __init__(self, config: RunConfig, folder: Path, data: DataSource, echo: Log) -> None:
        self.config = config
        self.folder = RunFolder(folder)
        self.data = data
        self.folder.claim(config)
        self.log = self.folder.logger(echo)
        self._encoder: Encoder | None = None
        self._state: dict[str, Any] | None = None

    def run(self) -> RunMetrics:
        if self.folder.done():
            return self.folder.metrics("", RunMetrics)
        self.log(f"run {self.folder.path.name}: {self.config.config_hash()}")
        notes: list[str] = []
        if self.config.intermediate:
            notes.extend(self._intermediate())
        targets: dict[str, TaskScores] = {}
        for name in self.config.targets:
            phase = f"targets/{name}"
            if not self.folder.done(phase):
                self.folder.finish(phase, self._target(get_task(name)))
            targets[name] = self.folder.metrics(phase, TaskScores)
            notes.extend(targets[name].stand_ins)
        scores = [t.average for t in targets.values()]
        summary = RunMetrics(
            hash=self.config.config_hash(), preset=self.config.preset, seed=self.config.seed,
            model=self.config.model.name, model_note=describe(self.config.model.name),
            intermediate=self.config.intermediate, stand_ins=tuple(sorted(set(notes))),
            targets=targets, average=sum(scores) / len(scores),
        )  # fmt: skip
        self.folder.finish("", summary)
        self.log(f"done: average {summary.average:.2f}")
        return summary

    def encoder(self) -> Encoder:
        """The encoder, loaded once; after intermediate training when the run has one."""
        if self._encoder is None:
            from experiments.encoders import load_encoder

            self._encoder = load_encoder(self.config.model.name)
            saved = self.folder.path / "intermediate" / "encoder"
            if self.config.intermediate and self.folder.done("intermediate"):
                from safetensors.torch import load_file

                self._encoder.model.load_state_dict(load_file(saved / "model.safetensors"))
            self._state = {k: v.clone() for k, v in self._encoder.model.state_dict().items()}
        return self._encoder

    def _restore(self) -> None:
        """Undo the previous target's fine-tuning: every target starts from the same weights."""
        encoder = self.encoder()
        if self._state is not None:
            encoder.model.load_state_dict(self._state)

    def _intermediate(self) -> list[str]:
        phase = self.folder.path / "intermediate"
        if self.folder.done("intermediate"):
            return list(self.folder.metrics("intermediate", IntermediateMetrics).stand_ins)
        from experiments.modeling import TaskModel
        from experiments.train import seed_everything, train

        encoder, cfg = self.encoder(), self.config
        features, heads, notes = {}, {}, []
        for name in cfg.intermediate:
            task = get_task(name)
            features[name], labels, stand_in = self._training_set(
                task, cfg.train_config(name).max_examples, f"intermediate {name}:"
            )
            heads[name] = (task.kind, len(labels))
            notes.extend([stand_in] if stand_in else [])
        seed_everything(cfg.seed)
        model = TaskModel(encoder.model, heads)
        result = train(
            model, features, cfg.intermediate_config(), cfg.runtime, cfg.runtime.device,
            cfg.seed, self._pad_id(), self.log,
        )  # fmt: skip
        from safetensors.torch import save_file

        partial = phase / "encoder.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        state = {k: v.detach().cpu().contiguous() for k, v in encoder.model.state_dict().items()}
        save_file(state, str(partial / "model.safetensors"))
        shutil.rmtree(phase / "encoder", ignore_errors=True)
        os.replace(partial, phase / "encoder")
        self._state = {k: v.clone() for k, v in state.items()}
        stats = IntermediateMetrics(**result.model_dump(), stand_ins=tuple(notes))
        self.folder.finish("intermediate", stats)
        return notes

    def _training_set(
        self, task: Task, limit: int | None, heading: str
    ) -> tuple[list[Any], tuple[str, ...], str]:
        """The features of the task's first ``limit`` English training examples, its label
        names and the stand-in the data used ("" for none); ``heading`` starts the log line."""
        split = self.data.split(task, "en", train=True)
        examples = list(split.examples)[:limit]  # type: ignore[arg-type]
        self.log(f"{heading} {len(examples)} examples from {split.source}")
        return self._features(task, examples), split.labels or task.labels, split.stand_in

    def _pad_id(self) -> int:
        return int(self.encoder().tokenizer.pad_token_id or 0)

    def _features(self, task: Task, examples: list[Any]) -> list[Any]:
        from experiments import features as f

        tokenizer, model = self.encoder().tokenizer, self.config.model
        if task.kind is Kind.QA:
            return f.encode_qa(tokenizer, examples, model.qa_max_length, model.qa_stride)
        if task.kind is Kind.TAG:
            return f.encode_tags(tokenizer, examples, model.max_length)
        if task.kind is Kind.CHOICE:
            return f.encode_choices(tokenizer, examples, model.max_length)
        return f.encode_pairs(tokenizer, examples, model.max_length)

    def _target(self, task: Task) -> TaskScores:
        cfg = self.config
        languages = evaluation_languages(task, self.data, cfg.languages)
        self._restore()
        notes: list[str] = []
        if task.kind is Kind.RETRIEVE:
            scorer = self._retrieval_scorer(task)
        else:
            scorer, notes = self._fine_tune(task)
        scores: dict[str, LanguageScore] = {}
        sources = []
        for language in languages:
            split = _cap(self.data.split(task, language, train=False), cfg.max_eval_examples)
            scores[language] = scorer(split)
            sources.append(split.source)
            notes.extend([split.stand_in] if split.stand_in else [])
            self.log(f"{task.name} {language}: {scores[language].score:.2f}")
        return TaskScores(
            task=task.name, metric=task.metric, languages=scores,
            average=sum(s.score for s in scores.values()) / len(scores), sources=tuple(sources),
            stand_ins=tuple(sorted(set(notes))),
        )  # fmt: skip

    def _retrieval_scorer(self, task: Task) -> Callable[[Split], LanguageScore]:
        import torch

        from experiments.evaluate import score_retrieval
        from experiments.modeling import embed, middle_layer

        encoder, cfg = self.encoder(), self.config
        device = torch.device(cfg.runtime.device)
        encoder.model.to(device)  # type: ignore[arg-type]
        layer = middle_layer(encoder.num_layers, cfg.model.retrieval_layer)

        def score(split: Split) -> LanguageScore:
            rows = split.examples
            if not isinstance(rows, RetrievalSet):
                raise SynthError(f"{task.name}: expected sentence pairs from {split.source}")

            def vectors(sentences: tuple[str, ...]) -> Any:
                return embed(
                    encoder.model, encoder.tokenizer, sentences, layer,
                    cfg.runtime.eval_batch_size, cfg.model.max_length, device,
                )  # fmt: skip

            return score_retrieval(task, rows, vectors(rows.source), vectors(rows.english))

        return score

    def _fine_tune(self, task: Task) -> tuple[Callable[[Split], LanguageScore], list[str]]:
        from experiments.evaluate import score_examples
        from experiments.modeling import TaskModel
        from experiments.train import predict, seed_everything, train

        cfg, schedule = self.config, self.config.train_config(task.name)
        features, labels, stand_in = self._training_set(
            task, schedule.max_examples, f"{task.name}: fine-tuning on"
        )
        seed_everything(cfg.seed)
        model = TaskModel(self.encoder().model, {task.name: (task.kind, len(labels))})
        train(
            model, {task.name: features}, schedule, cfg.runtime, cfg.runtime.device, cfg.seed,
            self._pad_id(), self.log,
        )  # fmt: skip

        def score(evaluation: Split) -> LanguageScore:
            rows = list(evaluation.examples)  # type: ignore[arg-type]
            feats = self._features(task, rows)
            logits = predict(
                model, task.name, feats, cfg.runtime.eval_batch_size, cfg.runtime.device,
                self._pad_id(),
            )  # fmt: skip
            return score_examples(task, rows, feats, logits, labels)

        return score, [stand_in] if stand_in else []
