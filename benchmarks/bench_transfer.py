"""Training throughput and model FLOPs utilisation of the experiments' fine-tuning loop (not
part of the test run).

    .venv/bin/python benchmarks/bench_transfer.py --size large --batch-size 32 --seq-len 128
    .venv/bin/python benchmarks/bench_transfer.py --device cpu --size small --steps 10

An encoder is built from its configuration with random weights (nothing is downloaded): on a
GPU by default XLM-R Large (24 layers, 1024 wide, 250,002 pieces), on a CPU the shape of
multilingual-e5-small (12 layers, 384 wide), the encoder of the ``lite`` preset. It gets one
3-way classification head and runs through :func:`experiments.train.train` itself (bucketed
batches, accelerate, bf16 autocast and fused AdamW on CUDA, optional ``torch.compile``) on
random token ids whose lengths are drawn between ``seq_len / 2`` and ``seq_len`` (fixed seed),
so the padding-aware batching has work to do. ``train`` is called once on ``--warmup-steps``
batches (CUDA kernels, allocator, compilation) and then timed on ``--steps`` fresh batches.

Reported: the device, parameter counts, tokens/s (non-padding tokens), examples/s, seconds per
optimiser step, peak memory (GPU: allocated by torch during the timed call; CPU: the process's
peak resident set) and, on a GPU, the model FLOPs utilisation (MFU) as in PaLM, appendix B:

    model FLOPs per token  = 6 N + 12 L H S
    MFU                    = tokens/s * (6 N + 12 L H S) / peak FLOP/s

N: non-embedding parameters (everything outside the embedding tables); L: layers; H: hidden
width; S: the attended length, the token-weighted mean sequence length sum(s^2) / sum(s) over
the timed inputs (a token of a sequence of s tokens attends over s positions; the plain mean
when all lengths are equal). 6 N is the forward and backward matmuls, 12 L H S the attention
scores and weighted sums. Padding is not counted, so padding waste lowers MFU. The peak is the
dense bf16 tensor-core rate of the GPU looked up by name (``--peak-tflops`` overrides); MFU is
left out, with a note, for a GPU not in the table and on a CPU.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from experiments.config import RuntimeConfig, TrainConfig
from experiments.features import Feature
from experiments.tasks import Kind
from synth.core.errors import SynthError

if TYPE_CHECKING:
    from torch import nn

SEED = 1
FIRST_ID = 5  # random ids start past the special tokens (pad, bos, eos, unk, mask)


@dataclass(frozen=True)
class Shape:
    family: str  # "xlm-roberta" or "bert"
    vocab: int
    hidden: int
    layers: int
    heads: int
    intermediate: int


SIZES: dict[str, Shape] = {
    "large": Shape("xlm-roberta", 250002, 1024, 24, 16, 4096),  # XLM-R Large
    "base": Shape("xlm-roberta", 250002, 768, 12, 12, 3072),  # XLM-R Base
    "small": Shape("bert", 250037, 384, 12, 12, 1536),  # multilingual-e5-small
    "tiny": Shape("bert", 250002, 64, 4, 2, 128),  # the tiny-random smoke-test encoder
}

# Dense (no sparsity) bf16 tensor-core peaks in FLOP/s, from NVIDIA's data sheets. Rules are
# tried in order; every listed piece must occur in the lower-cased device name; None: unknown.
PEAK_BF16: tuple[tuple[tuple[str, ...], float | None], ...] = (
    (("nvl",), None),  # H100 NVL / H200 NVL: other clocks and power limits
    (("h100", "pcie"), 756e12),
    (("h100",), 989e12),  # SXM5; shows as "NVIDIA H100 80GB HBM3"
    (("h200",), 989e12),
    (("a100",), 312e12),
)


def peak_flops(device_name: str) -> float | None:
    """The GPU's dense bf16 peak FLOP/s, or None when it is not in :data:`PEAK_BF16`."""
    name = device_name.lower()
    for pieces, peak in PEAK_BF16:
        if all(piece in name for piece in pieces):
            return peak
    return None


def attended_length(lengths: Sequence[int]) -> float:
    """The token-weighted mean sequence length sum(s^2) / sum(s)."""
    return sum(s * s for s in lengths) / sum(lengths)


def flops_per_token(non_embedding: int, layers: int, hidden: int, attended: float) -> float:
    """Model FLOPs of one training token (forward and backward): 6 N + 12 L H S."""
    return 6 * non_embedding + 12 * layers * hidden * attended


def mfu(tokens_per_s: float, per_token: float, peak: float) -> float:
    """Achieved model FLOP/s over the peak."""
    return tokens_per_s * per_token / peak


def synthetic_features(count: int, seq_len: int, vocab: int, rng: random.Random) -> list[Feature]:
    """``count`` labelled inputs of random ids, lengths uniform in [seq_len / 2, seq_len]."""
    features = []
    for _ in range(count):
        length = rng.randint(max(1, seq_len // 2), seq_len)
        ids = tuple(rng.randrange(FIRST_ID, vocab) for _ in range(length))
        features.append(Feature(ids, rng.randrange(3)))
    return features


def build_encoder(shape: Shape, device: str) -> Any:
    """A transformers encoder of ``shape`` with random weights (SDPA attention), on ``device``."""
    import torch
    from transformers import AutoModel, BertConfig, XLMRobertaConfig

    dims: dict[str, Any] = {
        "vocab_size": shape.vocab, "hidden_size": shape.hidden,
        "num_hidden_layers": shape.layers, "num_attention_heads": shape.heads,
        "intermediate_size": shape.intermediate,
    }  # fmt: skip
    if shape.family == "xlm-roberta":
        config: Any = XLMRobertaConfig(**dims, max_position_embeddings=514, type_vocab_size=1)
    else:
        config = BertConfig(**dims, max_position_embeddings=512, type_vocab_size=2, pad_token_id=1)
    torch.manual_seed(SEED)
    with torch.device(device):  # initialise in place: XLM-R Large is slow to fill on a CPU
        return AutoModel.from_config(  # type: ignore[no-untyped-call]
            config, attn_implementation="sdpa"
        )


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(non-embedding, total) parameter counts; embedding tables are nn.Embedding weights."""
    from torch import nn

    total = sum(p.numel() for p in model.parameters())
    tables = sum(
        p.numel() for m in model.modules() if isinstance(m, nn.Embedding) for p in m.parameters()
    )
    return total - tables, total


def device_name(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return str(torch.cuda.get_device_name(device))
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), "CPU")
    return f"{model}, torch threads: {torch.get_num_threads()}"


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build, warm up and time the loop; the measurements as a flat record."""
    import torch

    from experiments.modeling import TaskModel
    from experiments.train import resolve_device, train

    device = resolve_device(args.device)
    cuda = device.startswith("cuda")
    size = args.size or ("large" if cuda else "small")
    shape = SIZES[size]
    if args.threads:
        torch.set_num_threads(args.threads)
    model = TaskModel(build_encoder(shape, device), {"bench": (Kind.CLASSIFY, 3)})
    non_embedding, total = count_parameters(model)
    config = TrainConfig(
        batch_size=args.batch_size, warmup=0.0, freeze_embeddings=args.freeze_embeddings
    )
    runtime = RuntimeConfig(device=device, bf16=not args.no_bf16, compile=args.compile)
    pad_id = int(model.encoder.config.pad_token_id)
    rng = random.Random(SEED)
    warmup = synthetic_features(args.warmup_steps * args.batch_size, args.seq_len, shape.vocab, rng)
    timed = synthetic_features(args.steps * args.batch_size, args.seq_len, shape.vocab, rng)

    def log(line: str) -> None:
        print(f"  {line}", file=sys.stderr)

    if warmup:
        train(model, {"bench": warmup}, config, runtime, device, SEED, pad_id, log)
        # train compiled the encoder in place; a second torch.compile would wrap it again
        runtime = runtime.model_copy(update={"compile": False})
    if cuda:
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
    stats = train(model, {"bench": timed}, config, runtime, device, SEED, pad_id, log)
    if cuda:
        peak_mb = torch.cuda.max_memory_allocated(device) / 2**20
    else:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    tokens_per_s = stats.tokens / stats.seconds
    attended = attended_length([f.length for f in timed])
    per_token = flops_per_token(non_embedding, shape.layers, shape.hidden, attended)
    name = device_name(device)
    peak = args.peak_tflops * 1e12 if args.peak_tflops else peak_flops(name) if cuda else None
    result: dict[str, Any] = {
        "device": name,
        "size": size,
        "layers": shape.layers,
        "hidden": shape.hidden,
        "params_non_embedding": non_embedding,
        "params_total": total,
        "batch_size": args.batch_size,
        "seq_len": args.seq_len,
        "attended_len": round(attended, 2),
        "bf16": cuda and runtime.bf16,
        "compile": cuda and args.compile,
        "freeze_embeddings": args.freeze_embeddings,
        "warmup_steps": args.warmup_steps,
        "steps": stats.steps,
        "tokens": stats.tokens,
        "seconds": round(stats.seconds, 3),
        "tokens_per_s": round(tokens_per_s, 1),
        "examples_per_s": round(stats.examples / stats.seconds, 2),
        "step_ms": round(1000 * stats.seconds / stats.steps, 1),
        "peak_memory_mb": round(peak_mb),
        "tflops_per_s": round(tokens_per_s * per_token / 1e12, 3),
        "final_loss": round(stats.final_loss, 4),
    }
    if peak is None:
        why = "on a CPU" if not cuda else f"peak unknown for {name!r}: give --peak-tflops"
        result["mfu_note"] = f"MFU not computed ({why})"
    else:
        result["peak_tflops"] = round(peak / 1e12, 1)
        result["mfu"] = round(mfu(tokens_per_s, per_token, peak), 4)
    return result


def format_table(result: dict[str, Any]) -> str:
    width = max(len(key) for key in result)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in result.items())


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), help="default: large on CUDA, else small")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seq-len", type=int, default=128, help="longest input, in tokens")
    parser.add_argument("--steps", type=int, default=50, help="timed optimiser steps")
    parser.add_argument("--warmup-steps", type=int, default=5, help="untimed steps first")
    parser.add_argument("--compile", action="store_true", help="torch.compile (CUDA only)")
    parser.add_argument("--no-bf16", action="store_true", help="float32 on CUDA")
    parser.add_argument("--freeze-embeddings", action="store_true", help="as the lite preset")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch's choice)")
    parser.add_argument("--peak-tflops", type=float, default=0.0, help="override the peak")
    parser.add_argument("--json", type=Path, help="also write the record here")
    args = parser.parse_args(argv)
    for option in ("batch_size", "seq_len", "steps"):
        if getattr(args, option) < 1:
            flag = "--" + option.replace("_", "-")
            raise SynthError(f"{flag} must be at least 1", f"give {flag} 1 or more")
    if args.warmup_steps < 0:
        raise SynthError("--warmup-steps must not be negative", "give 0 or more")
    return args


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    result = run(args)
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    try:
        main()
    except SynthError as exc:
        sys.exit(f"error: {exc}")
