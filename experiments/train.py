"""Fine-tuning and prediction loops, fast on a GPU and deterministic on a CPU.

- Padding-aware batching (``synth.verify.batching``, shared with the verifier's training):
  examples are shuffled (by seed), grouped in pools of 50 batches, sorted by length within a
  pool and cut into batches, so a batch pads to similar lengths.
- accelerate runs the loop: bf16 autocast on CUDA, gradient accumulation, and several GPUs
  when launched with ``accelerate launch`` / ``torchrun`` (each process takes its own batches).
- Fused AdamW on CUDA, linear warm-up then decay, gradient clipping at 1.0, SDPA attention
  (chosen when the encoder is loaded), optional ``torch.compile``.
Imports torch: import this module lazily.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch

from experiments.config import RuntimeConfig, TrainConfig
from experiments.features import Feature
from experiments.modeling import TaskModel, collate, task_loss
from experiments.records import TrainStats
from synth.core.errors import SynthError
from synth.verify.batching import bucket_batches


def resolve_device(requested: str) -> str:
    """``auto`` -> cuda when there is one, else cpu; a CUDA request without CUDA is an error."""
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested.startswith("cuda") and not torch.cuda.is_available():
        raise SynthError(
            f"device {requested!r} asked for, but this machine has no usable CUDA GPU",
            "use --device cpu (or SYNTH_EXPERIMENTS_DEVICE=cpu), or run on a GPU machine",
        )
    if requested != "cpu" and not requested.startswith("cuda"):
        raise SynthError(f"unknown device {requested!r}", "use auto, cpu, cuda or cuda:N")
    return requested


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def _out_of_memory(batch_size: int) -> SynthError:
    return SynthError(
        f"the GPU ran out of memory at batch size {batch_size}",
        f"use a smaller batch (e.g. batch_size = {max(1, batch_size // 2)} with grad_accum "
        "doubled) or a shorter max_length in the run's TOML",
    )


def interleave(
    lengths: dict[str, list[int]], batch_size: int, epochs: float, rng: random.Random
) -> list[tuple[str, list[int]]]:
    """Each task's length-bucketed batches for ``epochs`` passes (a fraction cuts the last
    one), shuffled together: tasks are sampled in proportion to their size."""
    batches: list[tuple[str, list[int]]] = []
    for task, sizes in lengths.items():
        per_epoch = math.ceil(len(sizes) / batch_size)
        own = [b for _ in range(math.ceil(epochs)) for b in bucket_batches(sizes, batch_size, rng)]
        batches.extend((task, b) for b in own[: max(1, int(per_epoch * epochs))])
    rng.shuffle(batches)
    return batches


def train(
    model: TaskModel, features: Mapping[str, Sequence[Feature]], config: TrainConfig,
    runtime: RuntimeConfig, device: str, seed: int, pad_id: int, log: Callable[[str], None],
) -> TrainStats:  # fmt: skip
    """Fine-tune ``model`` in place on each task's ``features`` (one head per task)."""
    import time

    from accelerate import Accelerator  # type: ignore[import-untyped]
    from transformers import get_linear_schedule_with_warmup

    if not features or not all(features.values()):
        raise SynthError("no training examples", "check the task's English training data")
    seed_everything(seed)
    kinds = dict(model.kinds)
    cuda = device.startswith("cuda")
    accelerator = Accelerator(
        cpu=not cuda, gradient_accumulation_steps=config.grad_accum,
        mixed_precision="bf16" if cuda and runtime.bf16 else "no",
    )  # fmt: skip
    if config.freeze_embeddings:
        model.encoder.get_input_embeddings().weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        params, lr=config.lr, weight_decay=config.weight_decay, fused=cuda
    )
    lengths = {task: [f.length for f in rows] for task, rows in features.items()}
    batches = interleave(lengths, config.batch_size, config.epochs, random.Random(seed))
    total = max(1, len(batches) // config.grad_accum)
    scheduler = get_linear_schedule_with_warmup(  # type: ignore[no-untyped-call]
        optimizer, int(total * config.warmup), total
    )
    if runtime.compile and cuda:
        model.encoder = torch.compile(model.encoder, dynamic=True)
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
    model.train()
    started, tokens, loss_value = time.perf_counter(), 0, float("nan")
    share = batches[accelerator.process_index :: accelerator.num_processes]
    try:
        for number, (task, rows) in enumerate(share, 1):
            batch = collate([features[task][i] for i in rows], kinds[task], pad_id)
            batch = {k: v.to(accelerator.device) for k, v in batch.items()}
            with accelerator.accumulate(model), accelerator.autocast():
                logits = model(task, batch["input_ids"], batch["attention_mask"])
                loss = task_loss(kinds[task], logits, batch["labels"])
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(params, 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
            tokens += int(batch["attention_mask"].sum())
            loss_value = float(loss.detach())
            if number % 50 == 0 or number == len(share):
                log(f"step {number}/{len(share)} loss {loss_value:.4f}")
    except torch.OutOfMemoryError:
        raise _out_of_memory(config.batch_size) from None
    accelerator.free_memory()
    examples = sum(len(rows) for rows in features.values())
    return TrainStats(
        examples=examples, steps=len(share), tokens=tokens,
        seconds=time.perf_counter() - started, final_loss=loss_value,
    )  # fmt: skip


@torch.no_grad()
def predict(
    model: TaskModel,
    task: str,
    features: Sequence[Feature],
    batch_size: int,
    device: str,
    pad_id: int,
) -> list[np.ndarray]:
    """The logits of every feature (float32, padding removed), in input order."""
    model.eval()
    model.to(device)
    out: list[np.ndarray] = [np.zeros(0)] * len(features)
    order = sorted(range(len(features)), key=lambda i: features[i].length)
    autocast = torch.autocast("cuda", torch.bfloat16, enabled=device.startswith("cuda"))
    try:
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            batch = collate([features[i] for i in rows], model.kinds[task], pad_id)
            with autocast:
                ids, mask = batch["input_ids"].to(device), batch["attention_mask"].to(device)
                logits = model(task, ids, mask)
            logits = logits.float().cpu().numpy()
            for position, row in enumerate(rows):
                size = features[row].length
                out[row] = logits[position, :size] if logits.ndim == 3 else logits[position]
    except torch.OutOfMemoryError:
        raise _out_of_memory(batch_size) from None
    return out
