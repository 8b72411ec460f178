"""``synth eval healthver``: claims judged against the evidence a data set pairs them with.

HealthVer (Sarrouti et al. 2021) gives each claim an evidence text taken from a scientific
abstract and a label: Supports, Refutes or Neutral. Each pair is judged exactly as
``synth check`` judges a paper: the evidence is cut into sentences and passages as
``synth add`` cuts an abstract, every sentence and passage is scored, and the verdict
comes out of the same aggregation. Reported: 3-class accuracy and macro-F1, per-class F1,
the verdicts' calibration error and the AUROC of their confidence for right against wrong.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from synth.check.checker import Checker
from synth.core.progress import NoProgress, ProgressSink
from synth.core.types import Claim
from synth.corpus.parsing.chunk import chunk_page, split_sentences
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.store import Found
from synth.retrieval.search import Hit
from synth.verify.datasets import Pair
from synth.verify.metrics import (
    accuracy,
    auroc,
    expected_calibration_error,
    macro_f1,
    per_class,
)

CLASSES = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
PAIR_LABELS = {0: "SUPPORTED", 1: "NOT_ENOUGH_INFO", 2: "REFUTED"}  # Pair.label -> verdict
EVIDENCE_ID = "evidence"


def evidence_hits(checker: Checker, text: str, title: str = "") -> list[Hit]:
    """The passages ``synth add`` would store for an evidence text, as retrieval hits."""
    spans = split_sentences(text) or [(0, len(text))]
    page = sentences_page([text[s:e] for s, e in spans])
    passages = chunk_page(page, EVIDENCE_ID, checker.settings.chunk)
    return [Hit(Found(i, p, title), 0.0, None, None) for i, p in enumerate(passages)]


def evaluate_pairs(
    checker: Checker, pairs: Sequence[Pair], progress: ProgressSink | None = None
) -> dict[str, Any]:
    """Judge each claim against its paired evidence; the figures and how long it took."""
    progress = progress or NoProgress()
    gold: list[str] = []
    predicted: list[str] = []
    confidence: list[float] = []
    started = time.monotonic()
    for done, pair in enumerate(pairs, start=1):
        verdict = checker.judge(Claim(text=pair.hypothesis), evidence_hits(checker, pair.premise))
        gold.append(PAIR_LABELS[pair.label])
        predicted.append(verdict.label.value)
        confidence.append(verdict.confidence)
        progress.update("judging pairs", done, len(pairs))
    seconds = time.monotonic() - started
    correct = [g == p for g, p in zip(gold, predicted, strict=True)]
    return {
        "pairs": len(pairs),
        "gold": {c: gold.count(c) for c in CLASSES},
        "accuracy": accuracy(gold, predicted),
        "macro_f1": macro_f1(gold, predicted, CLASSES),
        "per_class_f1": {c: prf.f1 for c, prf in per_class(gold, predicted, CLASSES).items()},
        "ece": expected_calibration_error(confidence, correct),
        "auroc": auroc(confidence, correct),
        "predicted": {c: predicted.count(c) for c in CLASSES},
        "seconds": round(seconds, 1),
        "model": checker.scorer.name,
        "settings_hash": checker.settings_hash,
    }
