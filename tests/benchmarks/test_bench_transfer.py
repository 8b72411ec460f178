"""The training benchmark's FLOPs and MFU arithmetic, its GPU peak table, and a smoke run of
the whole script on a tiny CPU encoder (no timing is asserted)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.bench_transfer import (
    SIZES,
    attended_length,
    build_encoder,
    count_parameters,
    flops_per_token,
    main,
    mfu,
    parse_args,
    peak_flops,
    synthetic_features,
)
from experiments.tasks import Kind
from synth.core.errors import SynthError


def test_flops_per_token_is_six_n_plus_the_attention_term() -> None:
    assert flops_per_token(100, 2, 8, 10.0) == 600 + 12 * 2 * 8 * 10  # 2520
    # XLM-R Large (303,364,099 non-embedding parameters with the head), 100 attended tokens
    per_token = flops_per_token(303_364_099, 24, 1024, 100.0)
    assert per_token == 1_820_184_594 + 29_491_200


def test_mfu_is_achieved_over_peak_flops() -> None:
    assert mfu(1000.0, 2520.0, 5.04e6) == pytest.approx(0.5)
    # 50,000 tokens/s of XLM-R Large on an H100 SXM: 9.248e13 / 9.89e14
    assert mfu(50_000.0, 1_849_675_794.0, 989e12) == pytest.approx(0.0935124, abs=1e-7)


def test_attended_length_weights_each_sequence_by_its_tokens() -> None:
    assert attended_length([5, 5, 5]) == 5.0
    assert attended_length([2, 4]) == pytest.approx(20 / 6)  # (4 + 16) / (2 + 4)


@pytest.mark.parametrize(
    ("name", "peak"),
    [
        ("NVIDIA H100 80GB HBM3", 989e12),
        ("NVIDIA H100 PCIe", 756e12),
        ("NVIDIA H200", 989e12),
        ("NVIDIA A100-SXM4-80GB", 312e12),
        ("NVIDIA A100 80GB PCIe", 312e12),
        ("NVIDIA H100 NVL", None),
        ("NVIDIA GeForce RTX 4090", None),
    ],
)
def test_peak_lookup_by_device_name(name: str, peak: float | None) -> None:
    assert peak_flops(name) == peak


def test_parameter_counts_of_xlmr_large_match_its_architecture() -> None:
    from experiments.modeling import TaskModel

    model = TaskModel(build_encoder(SIZES["large"], "meta"), {"bench": (Kind.CLASSIFY, 3)})
    layer = 4 * (1024 * 1024 + 1024) + 2 * 1024 * 4096 + 4096 + 1024 + 2 * 2 * 1024
    embedding_norm, pooler, head = 2 * 1024, 1024 * 1024 + 1024, 1024 * 3 + 3
    tables = (250002 + 514 + 1) * 1024
    non_embedding = 24 * layer + embedding_norm + pooler + head
    assert count_parameters(model) == (non_embedding, non_embedding + tables)
    assert non_embedding == 303_364_099


def test_synthetic_features_have_bounded_lengths_and_ids() -> None:
    features = synthetic_features(50, 16, 100, random.Random(0))
    assert all(8 <= f.length <= 16 for f in features)
    assert all(5 <= i < 100 for f in features for i in f.input_ids)  # type: ignore[operator]
    assert {f.label for f in features} <= {0, 1, 2}
    assert features == synthetic_features(50, 16, 100, random.Random(0))


def test_bad_counts_are_refused() -> None:
    with pytest.raises(SynthError, match="--steps must be at least 1"):
        parse_args(["--steps", "0"])


@pytest.fixture
def torch_state() -> Iterator[None]:
    """The loop sets torch's thread count and deterministic mode; put them back after."""
    import torch

    threads, deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    yield
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(deterministic)


@pytest.mark.usefixtures("torch_state")
def test_smoke_run_on_cpu_writes_the_record(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    argv = ["--device", "cpu", "--size", "tiny", "--steps", "2", "--warmup-steps", "1"]
    argv += ["--batch-size", "4", "--seq-len", "16", "--threads", "1", "--json", str(out)]
    result = main(argv)
    assert json.loads(out.read_text()) == result
    assert (result["size"], result["steps"], result["layers"]) == ("tiny", 2, 4)
    assert 2 * 4 * 8 <= result["tokens"] <= 2 * 4 * 16  # non-padding tokens of 8 inputs
    assert result["tokens_per_s"] > 0 and result["step_ms"] > 0
    assert "mfu" not in result and "on a CPU" in result["mfu_note"]
    assert result["bf16"] is False and result["compile"] is False
