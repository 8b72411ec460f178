"""The model of one task (encoder + head), batch collation and losses, and the pooled hidden
states the retrieval tasks search with. Imports torch: import this module lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from experiments.features import IGNORE, Feature
from experiments.tasks import Kind


class TaskModel(nn.Module):
    """The encoder with one dropout + linear head per task: labels per input (CLASSIFY), per
    token (TAG), start/end scores per token (QA), or one score per choice (CHOICE). Several
    heads share the encoder in multi-task intermediate training."""

    def __init__(self, encoder: Any, heads: dict[str, tuple[Kind, int]]) -> None:
        super().__init__()
        self.encoder = encoder
        self.kinds = {name: kind for name, (kind, _) in heads.items()}
        width = int(encoder.config.hidden_size)
        self.heads = nn.ModuleDict(
            {
                name: nn.Sequential(
                    nn.Dropout(0.1), nn.Linear(width, {Kind.QA: 2, Kind.CHOICE: 1}.get(kind, n))
                )
                for name, (kind, n) in heads.items()
            }
        )

    def forward(
        self, task: str, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        kind = self.kinds[task]
        choices = input_ids.shape[1] if kind is Kind.CHOICE else 0
        if choices:  # (batch, choices, length) -> one row per choice
            input_ids, attention_mask = input_ids.flatten(0, 1), attention_mask.flatten(0, 1)
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        states = hidden.last_hidden_state
        if kind in (Kind.CLASSIFY, Kind.CHOICE):
            scores: torch.Tensor = self.heads[task](states[:, 0])
            return scores.view(-1, choices) if choices else scores
        per_token: torch.Tensor = self.heads[task](states)
        return per_token  # TAG: (batch, tokens, labels); QA: (batch, tokens, 2)


def _pad(rows: Sequence[Sequence[int]], width: int, value: int) -> list[list[int]]:
    return [list(r) + [value] * (width - len(r)) for r in rows]


def collate(features: Sequence[Feature], kind: Kind, pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its own longest input (padding-aware batching keeps that short)."""
    if kind is Kind.CHOICE:
        rows = [list(choice) for f in features for choice in f.input_ids]  # type: ignore[arg-type]
    else:
        rows = [list(f.input_ids) for f in features]  # type: ignore[arg-type]
    width = max(len(r) for r in rows)
    ids = torch.tensor(_pad(rows, width, pad_id))
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    batch = {"input_ids": ids, "attention_mask": mask}
    if kind is Kind.CHOICE:
        shape = (len(features), -1, width)
        batch = {k: v.view(shape) for k, v in batch.items()}
    if kind is Kind.TAG:
        batch["labels"] = torch.tensor(_pad([f.token_labels for f in features], width, IGNORE))
    elif kind is Kind.QA:
        batch["labels"] = torch.tensor([f.span for f in features])
    else:
        batch["labels"] = torch.tensor([f.label for f in features])
    return batch


def task_loss(kind: Kind, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    logits = logits.float()
    if kind is Kind.TAG:
        return nn.functional.cross_entropy(
            logits.flatten(0, 1), labels.flatten(), ignore_index=IGNORE
        )
    if kind is Kind.QA:
        start, end = logits.unbind(-1)
        ce = nn.functional.cross_entropy
        return (ce(start, labels[:, 0]) + ce(end, labels[:, 1])) / 2
    return nn.functional.cross_entropy(logits, labels)


def middle_layer(num_layers: int, layer: int | None) -> int:
    """The hidden layer retrieval pools (hidden_states[0] is the embedding output): ``layer``,
    or 14/24 of the depth when the config names none (the full preset names the paper's 13
    for XLM-R Large)."""
    chosen = round(num_layers * 14 / 24) if layer is None else layer
    return max(0, min(num_layers, chosen))


@torch.no_grad()
def embed(
    encoder: Any, tokenizer: Any, sentences: Sequence[str], layer: int, batch_size: int,
    max_length: int, device: torch.device,
) -> np.ndarray:  # fmt: skip
    """Mean-pooled, L2-normalised hidden states of ``layer`` for every sentence."""
    encoder.eval()
    out = np.zeros((len(sentences), int(encoder.config.hidden_size)), dtype=np.float32)
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    autocast = torch.autocast(device.type, torch.bfloat16, enabled=device.type == "cuda")
    for begin in range(0, len(order), batch_size):
        rows = order[begin : begin + batch_size]
        batch = tokenizer(
            [sentences[i] for i in rows], truncation=True, max_length=max_length,
            padding=True, return_tensors="pt",
        ).to(device)  # fmt: skip
        with autocast:
            hidden = encoder(
                input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                output_hidden_states=True,
            ).hidden_states[layer].float()  # fmt: skip
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        out[rows] = nn.functional.normalize(pooled, dim=-1).cpu().numpy()
    return out
