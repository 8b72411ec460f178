"""Building a verifier: training pairs, reproducibility, and an interrupted build."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import FIXTURES

from synth.core.errors import SynthError
from synth.core.models import file_sha256
from synth.core.settings import ChunkSettings, Settings
from synth.corpus.sources.scifact import read_claims
from synth.verify.card import CARD
from synth.verify.nli import METADATA, HFNLIScorer
from synth.verify.nli_data import read_abstracts, scifact_pairs
from synth.verify.recipe import Recipe, Stage
from synth.verify.train import BuildOptions, build_verifier


def test_scifact_pairs_label_passages_by_their_rationales() -> None:
    abstracts = read_abstracts(FIXTURES / "scifact" / "corpus.jsonl", ChunkSettings())
    claims = {c.id: c for c in read_claims(FIXTURES / "scifact" / "claims.jsonl")}
    pairs = scifact_pairs([claims["2"], claims["7"]], abstracts, 10.0, random.Random(0))
    by_label = {(p.premise, p.label) for p in pairs}
    # claim 2 contradicts sentence 1 of abstract 202: the rationale alone, and the passage
    assert ("Coffee timing and memory. Afternoon coffee lowered them by 3 percent.", 2) in by_label
    assert sum(p.label == 2 for p in pairs) == 2
    assert all(p.label in (1, 2) for p in pairs)  # claim 7 (no evidence) gives neutral only
    assert all(p.premise.startswith("Coffee timing and memory. ") for p in pairs)


SNLI_ONLY = Recipe("snli-only", (Stage("general", {"snli": 12}),))


def _options(tiny_model: Path, **extra: object) -> BuildOptions:
    chosen: dict[str, object] = {"recipe": SNLI_ONLY, **extra}
    return BuildOptions(name="tiny", base=str(tiny_model), snli=FIXTURES / "nli", **chosen)  # type: ignore[arg-type]


def test_build_is_reproducible_and_reports_held_out_figures(tiny_model: Path) -> None:
    settings = Settings()
    first = build_verifier(_options(tiny_model), settings)
    folder = settings.models_dir / "tiny"
    weights = (folder / "model.safetensors").read_bytes()
    second = build_verifier(_options(tiny_model), settings)
    assert (folder / "model.safetensors").read_bytes() == weights
    assert first["temperature"] == second["temperature"]
    assert set(first["held_out"]) == {"snli"}
    assert 0.0 <= first["held_out"]["snli"]["accuracy"] <= 1.0
    saved = json.loads((folder / METADATA).read_text())
    assert saved["pairs"] == first["pairs"] and saved["options"]["seed"] == 0
    assert saved["pairs"]["trained"] == {"general": {"snli": 12}}
    assert saved["recipe"]["stages"][0]["take"] == {"snli": 12}


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_the_build_trains_in_the_precision_asked_and_records_it(
    tiny_model: Path, precision: str
) -> None:
    settings = Settings()
    meta = build_verifier(_options(tiny_model, precision=precision), settings)
    assert meta["train_precision"] == precision
    saved = json.loads((settings.models_dir / "tiny" / METADATA).read_text())
    assert saved["train_precision"] == precision and saved["options"]["precision"] == precision
    weights = (settings.models_dir / "tiny" / "model.safetensors").read_bytes()
    build_verifier(_options(tiny_model, precision=precision), settings)
    assert (settings.models_dir / "tiny" / "model.safetensors").read_bytes() == weights


def test_weights_ship_in_half_precision_with_a_card_and_hashes(tiny_model: Path) -> None:
    from safetensors import safe_open

    settings = Settings()
    meta = build_verifier(_options(tiny_model), settings)
    folder = settings.models_dir / "tiny"
    with safe_open(str(folder / "model.safetensors"), "pt") as weights:
        names = weights.keys()  # a safetensors handle, not a dict
        assert {str(weights.get_tensor(k).dtype) for k in names} == {"torch.float16"}
    assert set(meta["files"]) >= {"model.safetensors", "config.json", "tokenizer.json"}
    assert METADATA not in meta["files"] and CARD not in meta["files"]
    for name, digest in meta["files"].items():
        assert file_sha256(folder / name) == digest
    card = (folder / CARD).read_text()
    assert "SNLI" in card and "CC BY-SA 4.0" in card and meta["files"]["config.json"] in card


def test_an_altered_model_file_is_refused(tiny_model: Path) -> None:
    settings = Settings()
    build_verifier(_options(tiny_model), settings)
    weights = settings.models_dir / "tiny" / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    scorer = HFNLIScorer("tiny", settings.models_dir)
    with pytest.raises(SynthError, match="does not match the sha256") as caught:
        scorer.score([("a premise", "a claim")])
    assert "synth models build" in str(caught.value)


def test_an_interrupted_build_keeps_the_previous_model(tiny_model: Path) -> None:
    settings = Settings()
    build_verifier(_options(tiny_model), settings)
    before = (settings.models_dir / "tiny" / "model.safetensors").read_bytes()

    class Interrupt:
        def update(self, task: str, done: float, total: float | None) -> None:
            if task.startswith("training") and done >= 1:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_verifier(_options(tiny_model, seed=1), settings, Interrupt())
    assert (settings.models_dir / "tiny" / "model.safetensors").read_bytes() == before
    assert [p.name for p in settings.models_dir.iterdir()] == ["tiny"]  # no leftovers


def test_a_recipe_with_claim_sets_needs_the_data_folder(tiny_model: Path) -> None:
    recipe = Recipe("claims", (Stage("claims", {"snli": 5, "scifact": 0}),))
    with pytest.raises(SynthError, match="needs the shared data folder for scifact"):
        build_verifier(_options(tiny_model, recipe=recipe), Settings())
