"""``synth eval scifact``: the SciFact benchmark (Wadden et al. 2020) on any SciFact-format
claims and corpus.

The corpus goes into its own store under ``SYNTH_HOME/eval/<corpus>`` (so papers of the
user's corpus cannot be retrieved, and a second run reuses the stored passages and
vectors). Each claim is checked twice: against the whole corpus (open retrieval) and
against its cited abstracts only (oracle). Reported: SciFact's abstract-level label-only
precision/recall/F1 for both, claim-level 3-class accuracy and macro-F1, and the expected
calibration error of the verdict confidences."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from synth.check import Checker
from synth.evaluate.metrics import (
    abstract_label_only,
    accuracy,
    expected_calibration_error,
    macro_f1,
)
from synth.ingest import NoProgress, ProgressSink
from synth.sources.scifact import SciFactClaim
from synth.types import Claim, Label, Verdict

CLASSES = ("SUPPORT", "CONTRADICT", "NEI")
_TO_SCIFACT = {
    Label.SUPPORTED: "SUPPORT",
    Label.REFUTED: "CONTRADICT",
    Label.NOT_ENOUGH_INFO: "NEI",
}


def predicted_docs(verdict: Verdict) -> dict[str, str]:
    """SciFact abstract-level predictions: each paper with a decisive label."""
    return {
        p.paper_id: _TO_SCIFACT[p.label]
        for p in verdict.papers
        if p.label is not Label.NOT_ENOUGH_INFO
    }


@dataclass
class SettingResult:
    """The figures of one retrieval setting (open or oracle)."""

    predictions: dict[str, dict[str, str]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)

    def add(self, claim: SciFactClaim, verdict: Verdict) -> None:
        self.predictions[claim.id] = predicted_docs(verdict)
        self.labels.append(_TO_SCIFACT[verdict.label])
        self.confidences.append(verdict.confidence)

    def correct(self, claims: Sequence[SciFactClaim]) -> list[bool]:
        """Whether each claim's verdict has the gold claim-level label."""
        return [c.label == p for c, p in zip(claims, self.labels, strict=True)]

    def figures(self, claims: Sequence[SciFactClaim]) -> dict[str, Any]:
        gold_docs = {c.id: c.gold for c in claims}
        gold = [c.label for c in claims]
        correct = self.correct(claims)
        return {
            "abstract_label_only": abstract_label_only(gold_docs, self.predictions).as_dict(),
            "accuracy": accuracy(gold, self.labels),
            "macro_f1": macro_f1(gold, self.labels, CLASSES),
            "ece": expected_calibration_error(self.confidences, correct),
        }


@dataclass
class Run:
    """Every claim checked open and oracle."""

    open: SettingResult
    oracle: SettingResult
    seconds: float

    def calibration_points(self, claims: Sequence[SciFactClaim]) -> tuple[list[float], list[bool]]:
        """(confidence, correct) of every verdict, to fit a verdict calibration on."""
        return (
            self.open.confidences + self.oracle.confidences,
            self.open.correct(claims) + self.oracle.correct(claims),
        )


def evaluate(
    checker: Checker, claims: Sequence[SciFactClaim], progress: ProgressSink | None = None
) -> tuple[dict[str, Any], Run]:
    """Check every claim open and oracle; the figures of both, with timing, and the run."""
    progress = progress or NoProgress()
    stored = {s.paper.paper_id for s in checker.store.summaries()}
    open_, oracle = SettingResult(), SettingResult()
    started = time.monotonic()
    for done, claim in enumerate(claims, start=1):
        open_.add(claim, checker.check(claim.claim))
        cited = [d for d in claim.cited_doc_ids if d in stored]
        if cited:
            oracle.add(claim, checker.check(claim.claim, cited))
        else:
            oracle.add(claim, checker.judge(Claim(text=claim.claim), []))
        progress.update("checking claims", done, len(claims))
    seconds = time.monotonic() - started
    figures = {
        "claims": len(claims),
        "gold": {c: sum(1 for x in claims if x.label == c) for c in CLASSES},
        "open": open_.figures(claims),
        "oracle": oracle.figures(claims),
        "seconds": round(seconds, 1),
        "claims_per_second": round(2 * len(claims) / seconds, 3) if seconds else None,
        "model": checker.scorer.name,
        "settings_hash": checker.settings_hash,
        "verdict_calibration": checker.calibration is not None,
    }
    return figures, Run(open_, oracle, seconds)
