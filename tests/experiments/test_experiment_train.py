from __future__ import annotations

import random

import pytest

from experiments.train import interleave, resolve_device
from synth.core.errors import SynthError


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
