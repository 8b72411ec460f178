"""``synth models build`` end to end on the fixture data: train, calibrate, fit the head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from synth.core.errors import SynthError
from synth.core.settings import Settings
from synth.evaluate.build import HEAD_FEATURES, build_default, refit_head
from synth.verify.card import CARD
from synth.verify.head import ConfidenceMap
from synth.verify.nli import METADATA, HFNLIScorer
from synth.verify.recipe import Recipe, Stage
from synth.verify.train import BuildOptions

TINY = Recipe(
    "tiny-claims",
    (
        Stage("general", {"snli": 12}),
        Stage("claims", {"scifact": 0, "healthver": 0, "offtopic": 6}),
    ),
)


def _options(tiny_model: Path, data: Path) -> BuildOptions:
    return BuildOptions(name="tiny", base=str(tiny_model), data=data, snli=FIXTURES / "nli",
                        recipe=TINY)  # fmt: skip


def test_the_default_build_fits_a_verdict_head_the_checker_loads(
    tiny_model: Path, shared_fixture: Path
) -> None:
    settings = Settings()
    options = _options(tiny_model, shared_fixture)
    meta = build_default(options, settings)
    head = meta["verdict_head"]
    assert head["features"] == list(HEAD_FEATURES)
    assert head["rows"] > 0 and set(head["fitted_on"]) <= {"scifact", "citint", "healthver"}
    assert 0.0 <= head["numeric_floor"] <= 1.0
    saved = json.loads((settings.models_dir / "tiny" / METADATA).read_text())
    assert saved["verdict_head"] == head
    loaded, gates = HFNLIScorer("tiny", settings.models_dir).verdict_head()
    assert loaded is not None and list(loaded.features) == list(HEAD_FEATURES)
    assert gates.numeric_floor == head["numeric_floor"]
    assert (gates.min_relevance, gates.off_topic) == (head["min_relevance"], head["off_topic"])
    assert gates.confidence == ConfidenceMap(**head["confidence"])  # fitted, and loaded


def test_the_default_build_needs_the_data_folder(tiny_model: Path) -> None:
    options = BuildOptions(name="tiny", base=str(tiny_model), snli=FIXTURES / "nli")
    with pytest.raises(SynthError, match="needs the shared data folder"):
        build_default(options, Settings())


def test_refitting_the_head_keeps_the_weights_and_rewrites_the_card(
    tiny_model: Path, shared_fixture: Path
) -> None:
    settings = Settings()
    options = _options(tiny_model, shared_fixture)
    built = build_default(options, settings)
    folder = settings.models_dir / "tiny"
    (folder / CARD).write_text("stale")
    refitted = refit_head("tiny", shared_fixture, settings)
    assert refitted["files"] == built["files"]  # the weights are untouched
    assert refitted["verdict_head"]["weights"] == built["verdict_head"]["weights"]
    assert json.loads((folder / METADATA).read_text()) == refitted
    assert "## Verdict head" in (folder / CARD).read_text()


def test_refitting_needs_a_model_synth_built(tmp_path: Path, shared_fixture: Path) -> None:
    with pytest.raises(SynthError, match="no verifier synth built there"):
        refit_head("nothing", shared_fixture, Settings())
