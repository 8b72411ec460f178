"""The NLI adapter: label order from the model's config, temperature, batching."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from synth.core.errors import SynthError
from synth.verify.nli import (
    METADATA,
    HFNLIScorer,
    label_order,
    premise_text,
    to_synth_order,
    use_bf16,
)


@pytest.mark.parametrize(
    ("id2label", "order"),
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, [0, 1, 2]),
        ({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}, [2, 1, 0]),  # MNLI models
        ({0: "entailment", 1: "not_entailment"}, [0, 1]),  # 2-way models
        ({0: "SUPPORTS", 1: "NOT ENOUGH INFO", 2: "REFUTES"}, [0, 1, 2]),  # FEVER naming
    ],
)
def test_label_order_read_from_config(id2label: dict[int, str], order: list[int]) -> None:
    assert label_order(id2label) == order


@pytest.mark.parametrize(
    "id2label", [{0: "LABEL_0", 1: "LABEL_1"}, {0: "neutral", 1: "contradiction"}]
)
def test_non_nli_labels_are_refused(id2label: dict[int, str]) -> None:
    with pytest.raises(SynthError, match="NLI"):
        label_order(id2label)


def test_to_synth_order() -> None:
    probs = np.array([[0.7, 0.2, 0.1]])  # model order: contradiction, neutral, entailment
    assert to_synth_order(probs, [2, 1, 0]).tolist() == [[0.1, 0.2, 0.7]]
    two_way = to_synth_order(np.array([[0.6, 0.4]]), [0, 1])
    assert two_way.tolist() == [[0.6, 0.4, 0.0]]  # no contradiction from a 2-way model


def test_premise_text() -> None:
    assert premise_text("A Title ", "The passage.") == "A Title. The passage."
    assert premise_text("", "The passage.") == "The passage."


def test_scores_are_batched_and_order_preserving(tiny_model: Path) -> None:
    pairs = [("short", "a"), ("a much longer premise about coffee and sleep", "b"), ("x", "y")]
    scorer = HFNLIScorer(str(tiny_model), batch_size=2)
    batched = scorer.score(pairs)
    one_by_one = np.vstack([scorer.score([p]) for p in pairs])
    assert batched.shape == (3, 3)
    assert np.allclose(batched.sum(axis=1), 1.0)
    assert np.allclose(batched, one_by_one, atol=1e-5)  # sorting by length is undone
    assert scorer.score([]).shape == (0, 3)


def test_temperature_from_metadata_flattens(tiny_model: Path, tmp_path: Path) -> None:
    pairs = [("coffee lowers recall", "coffee helps memory")]
    sharp = HFNLIScorer(str(tiny_model)).logits(pairs)
    copy = tmp_path / "model"
    copy.mkdir()
    for f in tiny_model.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    (copy / METADATA).write_text(json.dumps({"temperature": 4.0}))
    scorer = HFNLIScorer(str(copy))
    assert scorer.temperature == 4.0
    expected = np.exp(sharp / 4.0) / np.exp(sharp / 4.0).sum()
    assert np.allclose(scorer.score(pairs), expected[:, [0, 1, 2]], atol=1e-6)


def test_a_hub_id_that_cannot_load_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    scorer = HFNLIScorer("no-such-org/no-such-nli-model")
    with pytest.raises(SynthError, match="cannot load the model"):
        scorer.score([("a", "b")])


def test_bf16_scores_stay_close_to_fp32(tiny_model: Path) -> None:
    pairs = [("coffee lowers recall in adults", "coffee helps memory"), ("x", "y")]
    exact = HFNLIScorer(str(tiny_model)).score(pairs)
    fast = HFNLIScorer(str(tiny_model), precision="bf16").score(pairs)
    assert fast.shape == exact.shape
    assert np.allclose(fast.sum(axis=1), 1.0)
    assert np.allclose(fast, exact, atol=0.02)
    assert not np.array_equal(fast, exact)  # bf16 arithmetic did run


def test_precision_auto_follows_the_cpu() -> None:
    import torch

    assert use_bf16("bf16") and not use_bf16("fp32")
    assert use_bf16("auto") == bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
