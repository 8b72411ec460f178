"""NLI scoring: premise = an evidence passage (with its paper's title as context),
hypothesis = the claim; out come probabilities for (entailment, neutral, contradiction).

:class:`NLIScorer` is the one interface; :class:`HFNLIScorer` adapts any Hugging Face
sequence-classification NLI model and reads its label order from the model's config.
torch and transformers are imported inside the adapter, never at module import."""

from __future__ import annotations

import functools
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from synth.core.errors import SynthError
from synth.core.models import check_files, load_error, quiet_transformers, resolve_model
from synth.core.precision import Precision
from synth.verify.aggregate import FEATURES, Gates
from synth.verify.calibration import FloatArray, softmax
from synth.verify.head import Head

LABELS = ("entailment", "neutral", "contradiction")
METADATA = "synth-model.json"  # written by `synth models build` beside the weights

_ALIASES = {
    "entailment": 0, "entails": 0, "entail": 0, "support": 0, "supports": 0, "supported": 0,
    "neutral": 1, "not_enough_info": 1, "nei": 1, "not_entailment": 1, "non-entailment": 1,
    "contradiction": 2, "contradicts": 2, "contradict": 2, "refutes": 2, "refuted": 2,
}  # fmt: skip


def read_metadata(folder: Path) -> dict[str, Any] | None:
    """A model folder's ``synth-model.json`` (None when it has none); a file that is not a
    JSON object is an error naming it."""
    path = folder / METADATA
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SynthError(
            f"{path}: unreadable model metadata ({exc})",
            "rebuild the model (synth models build) or remove the folder",
        ) from exc
    if not isinstance(data, dict):
        raise SynthError(
            f"{path}: the model metadata is not a JSON object",
            "rebuild the model (synth models build) or remove the folder",
        )
    return data


def use_bf16(precision: Precision) -> bool:
    """Whether the verifier computes in bf16: asked for, or ``auto`` on a CPU with native
    bf16 arithmetic (AVX-512 BF16 or AMX), where it scores about twice as fast as fp32
    and moves probabilities by less than 0.01 (README, "The default verifier"). Elsewhere
    bf16 would be emulated and slower, so ``auto`` keeps fp32.

    Args:
        precision: ``auto``, ``fp32`` or ``bf16``.

    Returns:
        True for bf16 autocast.
    """
    if precision != "auto":
        return precision == "bf16"
    return _native_bf16()


@functools.cache
def _native_bf16() -> bool:
    """Whether this CPU computes bf16 natively (asked once: every scoring call needs it)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch without the oneDNN query
        return False


def premise_text(title: str, passage: str) -> str:
    """The premise the verifier reads: the passage, led by its paper's title for context.
    Training and checking both build premises here, so they always match."""
    return f"{title.strip()}. {passage}" if title.strip() else passage


def label_order(id2label: dict[int, str]) -> list[int]:
    """For each model output, the synth label index (0 entail, 1 neutral, 2 contradiction)."""
    order = []
    for i in range(len(id2label)):
        name = str(id2label[i]).strip().lower().replace(" ", "_")
        if name not in _ALIASES:
            raise SynthError(
                f"the model's label {id2label[i]!r} is not an NLI label",
                "use a model trained for NLI (entailment / neutral / contradiction)",
            )
        order.append(_ALIASES[name])
    if 0 not in order or len(set(order)) != len(order):
        raise SynthError(
            f"the model's labels {list(id2label.values())} do not name entailment once",
            "use a 3-way (or entailment / not-entailment) NLI model",
        )
    return order


def to_synth_order(probs: FloatArray, order: Sequence[int]) -> FloatArray:
    """Rearrange model-order probabilities into (entailment, neutral, contradiction);
    a 2-way model contributes no contradiction."""
    out = np.zeros((len(probs), 3), dtype=np.float64)
    for column, target in enumerate(order):
        out[:, target] += probs[:, column]
    return out


class NLIScorer(ABC):
    """Scores (premise, hypothesis) pairs. ``name`` says which model made the numbers."""

    name: str

    @abstractmethod
    def score(self, pairs: Sequence[tuple[str, str]]) -> FloatArray:
        """An (n, 3) array of probabilities: entailment, neutral, contradiction."""

    def verdict_head(self) -> tuple[Head | None, Gates]:
        """The verdict head fitted for this scorer and its gates; none by default (the
        threshold rule decides)."""
        return None, Gates()


class HFNLIScorer(NLIScorer):
    """Any Hugging Face sequence-classification NLI model, by folder or hub id.

    When the folder holds a ``synth-model.json`` (a model synth built), the probabilities
    are scaled by its fitted ``temperature``, its files are checked against the SHA-256
    its card records before loading, and its verdict head is offered to the checker."""

    def __init__(
        self, name: str, models_dir: Path | None = None, batch_size: int = 16,
        max_length: int = 256, precision: Precision = "fp32",
    ) -> None:  # fmt: skip
        self.name = name
        self.reference = resolve_model(name, models_dir)
        self.batch_size = batch_size
        self.max_length = max_length
        self.precision = precision
        self.temperature = 1.0
        self.metadata: dict[str, Any] = read_metadata(Path(self.reference)) or {}
        self.temperature = float(self.metadata.get("temperature", 1.0))
        self._loaded: tuple[Any, Any, list[int]] | None = None

    def verdict_head(self) -> tuple[Head | None, Gates]:
        """The verdict head fitted for this model (None for a model synth did not build
        and calibrate) and the gates fitted with it. A head asking for features this synth
        does not compute is refused, naming what was expected."""
        fitted = self.metadata.get("verdict_head")
        if not fitted:
            return None, Gates()
        head = Head.from_json(fitted)
        unknown = [name for name in head.features if name not in FEATURES]
        if unknown:
            raise SynthError(
                f"{self.name}: its verdict head uses features this synth does not compute "
                f"({', '.join(unknown)}; expected some of {', '.join(FEATURES)})",
                "rebuild the model with this synth (synth models build) or use another one",
            )
        return head, Gates.from_json(fitted)

    def _load(self) -> tuple[Any, Any, list[int]]:
        if self._loaded is None:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer

            check_files(Path(self.reference), self.metadata.get("files") or {}, self.name)
            quiet_transformers()
            try:
                tokenizer = AutoTokenizer.from_pretrained(self.reference)
                model = AutoModelForSequenceClassification.from_pretrained(
                    self.reference,
                    dtype=torch.float32,  # weights may ship in fp16
                )
            except (OSError, ValueError) as exc:
                raise load_error(self.name, exc) from exc
            model.eval()
            self._loaded = (tokenizer, model, label_order(dict(model.config.id2label)))
        return self._loaded

    def logits(self, pairs: Sequence[tuple[str, str]]) -> FloatArray:
        """Raw model-order logits, batched (longest pairs together to pad less), in bf16
        autocast when :func:`use_bf16` says so (the weights stay fp32)."""
        import torch

        tokenizer, model, _ = self._load()
        out = np.zeros((len(pairs), len(model.config.id2label)), dtype=np.float64)
        by_length = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        bf16 = use_bf16(self.precision)
        with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=bf16):
            for start in range(0, len(by_length), self.batch_size):
                chunk = by_length[start : start + self.batch_size]
                encoded = tokenizer(
                    [pairs[i][0] for i in chunk],
                    [pairs[i][1] for i in chunk],
                    padding=True,
                    truncation="longest_first",
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                out[chunk] = model(**encoded).logits.float().numpy()
        return out

    def score(self, pairs: Sequence[tuple[str, str]]) -> FloatArray:
        if not pairs:
            return np.zeros((0, 3), dtype=np.float64)
        _, _, order = self._load()
        return to_synth_order(softmax(self.logits(pairs), self.temperature), order)
