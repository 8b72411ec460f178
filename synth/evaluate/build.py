"""``synth models build``: the default verifier from the shared data, end to end.

1. Train the cross-encoder stage by stage (:func:`synth.verify.train.build_verifier`), fit
   its temperature and measure held-out pairs.
2. Fit the verdict head on the calibration claims of SciFact, Citation-Integrity and
   HealthVer, judged by the new model through the real checker
   (:mod:`synth.evaluate.calibrate`).
3. Write the model card with the SHA-256 of every file, and only then move the model into
   place: an interrupted build leaves the previous model as it was."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from synth.core.errors import SynthError
from synth.core.files import write_atomic, write_json
from synth.core.models import check_files
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.corpus.sources.scifact import read_claims
from synth.evaluate.calibrate import (
    Rows,
    fit_confidence,
    fit_verdict_head,
    fitted_gates,
    pair_rows,
    scifact_rows,
)
from synth.evaluate.scifact import corpus_checker
from synth.verify.card import CARD, render_card
from synth.verify.nli import METADATA, read_metadata
from synth.verify.recipe import DataPaths, claim_split, healthver_parts
from synth.verify.train import BuildOptions, build_verifier

T = TypeVar("T")

# The verdict head's features, chosen on the calibration splits (reports/verifier/).
# Whole-passage scores cost 1.6 times the checking time and gained nothing there (mean
# macro-F1 .539 with them, .541 without), so the head reads sentence scores only.
HEAD_FEATURES = (
    "entail", "contradict", "relevance", "rank",
    "numbers_consistent", "numbers_missing", "numbers_contradicted",
)  # fmt: skip


CALIB_CLAIMS = 150  # per set: enough rows for a 30-weight head, within the build's hour


def _sample(items: list[T], count: int, seed: int) -> list[T]:
    """At most ``count`` of ``items`` in their order, the same ones for the same seed."""
    if len(items) <= count:
        return items
    keep = set(random.Random(seed).sample(range(len(items)), count))
    return [item for i, item in enumerate(items) if i in keep]


def calibration_rows(
    model: Path, data: Path, settings: Settings, seed: int, progress: ProgressSink,
    features: Sequence[str] = HEAD_FEATURES,
) -> Rows:  # fmt: skip
    """The calibration claims' paper verdict features (``features`` computed as a head
    using them computes them) with their gold labels."""
    paths = DataPaths(data, data)
    # the model being built, without a head yet: the checker judges by its scores alone
    settings = settings.model_copy(
        update={"verify": settings.verify.model_copy(update={"model": str(model)})}
    )
    rows = Rows()
    for source, (claims_file, corpus, _) in (("scifact", paths.scifact()),
                                              ("citint", paths.citint())):  # fmt: skip
        claims = [c for c in read_claims(claims_file) if claim_split(source, c.id, seed) == "calib"]
        claims = _sample(claims, CALIB_CLAIMS, seed)
        # every check names its papers: only theirs are embedded, not the whole corpus
        with corpus_checker(settings, corpus, progress, embed_all=False) as checker:
            checker.features = tuple(features)
            rows.extend(scifact_rows(checker, claims, source, progress))
            if source == "citint":  # any checker judges given evidence: reuse this one
                pairs = _sample(healthver_parts(data, seed)["calib"], 2 * CALIB_CLAIMS, seed)
                rows.extend(pair_rows(checker, pairs, "healthver", progress))
    return rows


def fitted_head(
    model: Path, data: Path, settings: Settings, seed: int, progress: ProgressSink,
    features: Sequence[str] = HEAD_FEATURES,
) -> dict[str, Any]:  # fmt: skip
    """The verdict head fitted for ``model`` on the calibration claims, as metadata."""
    started = time.monotonic()
    # fitted on fp32 scores, so that a build gives the same head whatever the CPU
    verify = settings.verify.model_copy(update={"precision": "fp32"})
    settings = settings.model_copy(update={"verify": verify})
    rows = calibration_rows(model, data, settings, seed, progress, features)
    return {"verdict_head": {**head_metadata(rows, features),
                             "seconds": round(time.monotonic() - started, 1)}}  # fmt: skip


def head_metadata(rows: Rows, features: Sequence[str] = HEAD_FEATURES) -> dict[str, Any]:
    """The verdict head, its gates and its confidence map fitted on calibration rows, as
    metadata (the map only for rows the checker made: it needs their scores)."""
    head, gates = fit_verdict_head(rows, features), fitted_gates(rows)
    if rows.scores:
        gates = replace(gates, confidence=fit_confidence(rows, features))
    return {
        **head.as_json(),
        **gates.as_json(),
        "rows": len(rows.labels),
        "fitted_on": sorted(set(rows.sources)),
    }


def build_default(
    options: BuildOptions, settings: Settings, progress: ProgressSink | None = None,
    features: Sequence[str] = HEAD_FEATURES,
) -> dict[str, Any]:  # fmt: skip
    """Train, calibrate, fit the verdict head and save the verifier with its model card;
    returns its metadata (``synth-model.json``)."""
    progress = progress or NoProgress()
    data = _data(options.data)
    return build_verifier(
        options, settings, progress,
        finish=lambda model: fitted_head(model, data, settings, options.seed, progress, features),
    )  # fmt: skip


def refit_head(
    name: str, data: Path | None, settings: Settings, seed: int = 0,
    progress: ProgressSink | None = None, features: Sequence[str] = HEAD_FEATURES,
) -> dict[str, Any]:  # fmt: skip
    """Fit the verdict head of a verifier synth built (``SYNTH_HOME/models/NAME``) again,
    without retraining it: the weights and their hashes stay, the metadata and the model
    card are rewritten (each atomically). Returns the new metadata."""
    folder = settings.models_dir / name
    meta = read_metadata(folder) if folder.is_dir() else None
    if meta is None:
        raise SynthError(f"{folder}: no verifier synth built there",
                         "build it first: synth models build --data DIR")  # fmt: skip
    check_files(folder, meta.get("files") or {}, name)
    meta |= fitted_head(folder, _data(data), settings, seed, progress or NoProgress(), features)
    write_json(folder / METADATA, meta)
    write_atomic(folder / CARD, render_card(meta))
    return meta


def _data(data: Path | None) -> Path:
    if data is None:
        raise SynthError(
            "the default verifier needs the shared data folder",
            "give it with --data DIR (the folder holding scifact/ and claims/)",
        )
    return data
