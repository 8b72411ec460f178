"""Where models come from: packaged wheels, folders, built models, hub ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth.core.errors import SynthError
from synth.core.models import DEFAULT_VERIFIER, SHIPPED, packaged_model, resolve_model


def test_packaged_minilm_resolves_to_its_wheel_folder() -> None:
    folder = packaged_model("all-MiniLM-L6-v2")
    assert folder is not None and (folder / "config.json").is_file()
    assert resolve_model("sentence-transformers/all-MiniLM-L6-v2") == str(folder)


def test_a_built_model_is_found_under_models_dir(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "config.json").write_text("{}")
    assert resolve_model("mine", tmp_path) == str(tmp_path / "mine")


def test_the_default_verifier_is_shipped_unless_one_was_built(tmp_path: Path) -> None:
    assert Path(resolve_model(DEFAULT_VERIFIER, tmp_path)) == SHIPPED / DEFAULT_VERIFIER
    (tmp_path / DEFAULT_VERIFIER).mkdir()
    (tmp_path / DEFAULT_VERIFIER / "config.json").write_text("{}")
    assert resolve_model(DEFAULT_VERIFIER, tmp_path) == str(tmp_path / DEFAULT_VERIFIER)


def test_without_the_shipped_verifier_it_says_how_to_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("synth.core.models.SHIPPED", tmp_path / "nothing")
    with pytest.raises(SynthError, match="neither shipped with this install nor built") as err:
        resolve_model(DEFAULT_VERIFIER, tmp_path)
    assert "synth models build" in str(err.value)


def test_hub_ids_pass_through() -> None:
    assert resolve_model("MoritzLaurer/DeBERTa-v3-base-mnli", Path("/nowhere")) == (
        "MoritzLaurer/DeBERTa-v3-base-mnli"
    )


@pytest.mark.parametrize("make", [False, True])
def test_a_folder_without_a_model(tmp_path: Path, make: bool) -> None:
    folder = tmp_path / "empty"
    if make:
        folder.mkdir()
    with pytest.raises(SynthError, match="config.json is missing" if make else "no such model"):
        resolve_model(str(folder))


def test_the_packaged_minilm_embeds_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from synth.retrieval.embed import SentenceTransformerEmbedder

    vectors = SentenceTransformerEmbedder("all-MiniLM-L6-v2").encode(
        ["Coffee improves memory.", "Caffeine helps recall.", "Robins sing at dawn."]
    )
    assert vectors.shape == (3, 384)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2]  # a real model: related sentences are closer


def test_the_shipped_verifier_matches_its_card() -> None:
    from synth.core.models import file_sha256
    from synth.verify.card import CARD
    from synth.verify.nli import METADATA

    folder = SHIPPED / DEFAULT_VERIFIER
    meta = json.loads((folder / METADATA).read_text(encoding="utf-8"))
    card = (folder / CARD).read_text(encoding="utf-8")
    on_disk = {p.name for p in folder.iterdir() if p.name not in (METADATA, CARD)}
    assert on_disk == set(meta["files"])  # every file is hashed, no file is missing
    for name, digest in meta["files"].items():
        assert file_sha256(folder / name) == digest, name
        assert f"| `{name}` | `{digest}` |" in card
    assert sum((folder / name).stat().st_size for name in on_disk) <= 50 * 2**20
    assert meta["dtype"] == "float16" and meta["verdict_head"]["features"]


def test_the_default_build_makes_the_shipped_verifier() -> None:
    """`synth models build` with its defaults trains what ships: the same recipe, in the
    same arithmetic (a card written before precision was recorded was trained in fp32)."""
    from dataclasses import asdict

    from synth.verify.nli import METADATA
    from synth.verify.recipe import DEFAULT_RECIPE
    from synth.verify.train import BuildOptions

    meta = json.loads((SHIPPED / DEFAULT_VERIFIER / METADATA).read_text(encoding="utf-8"))
    assert meta["recipe"] == json.loads(json.dumps(asdict(DEFAULT_RECIPE)))
    assert meta.get("train_precision", "fp32") == BuildOptions().precision
