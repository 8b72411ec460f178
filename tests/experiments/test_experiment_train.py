from __future__ import annotations

import random

import pytest

from experiments.train import bucket_batches, interleave, resolve_device
from synth.core.errors import SynthError


def test_bucket_batches_cover_every_index_once_with_similar_lengths() -> None:
    lengths = [random.Random(1).randint(1, 500) for _ in range(1000)]
    batches = bucket_batches(lengths, 8, random.Random(0))
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))
    assert all(len(b) <= 8 for b in batches)
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches)
    assert spread / len(batches) < 30  # sorted pools: batches pad little


def test_bucket_batches_are_deterministic_per_seed() -> None:
    lengths = list(range(100))
    assert bucket_batches(lengths, 4, random.Random(3)) == bucket_batches(
        lengths, 4, random.Random(3)
    )
    assert bucket_batches(lengths, 4, random.Random(3)) != bucket_batches(
        lengths, 4, random.Random(4)
    )


def test_interleave_mixes_tasks_in_proportion_and_cuts_fractional_epochs() -> None:
    batches = interleave({"a": [1] * 40, "b": [1] * 8}, 4, 1.5, random.Random(0))
    counts = {t: sum(1 for name, _ in batches if name == t) for t in ("a", "b")}
    assert counts == {"a": 15, "b": 3}


def test_cuda_asked_without_cuda_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    with pytest.raises(SynthError, match="no usable CUDA"):
        resolve_device("cuda")
    with pytest.raises(SynthError, match="unknown device"):
        resolve_device("tpu")
