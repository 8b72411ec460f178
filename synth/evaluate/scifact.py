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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.check.checker import Checker, configured_checker
from synth.core.errors import SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.core.types import Claim, Label, Verdict, content_id
from synth.corpus.ingest import Ingestor
from synth.corpus.sources.scifact import SciFactClaim
from synth.corpus.store import Store
from synth.verify.metrics import (
    abstract_label_only,
    accuracy,
    auroc,
    expected_calibration_error,
    macro_f1,
    per_class,
)

CLASSES = ("SUPPORT", "CONTRADICT", "NEI")
_TO_SCIFACT = {
    Label.SUPPORTED: "SUPPORT",
    Label.REFUTED: "CONTRADICT",
    Label.NOT_ENOUGH_INFO: "NEI",
}


@contextmanager
def corpus_checker(
    settings: Settings, corpus: Path, progress: ProgressSink | None = None,
    max_papers: int | None = None, embed_all: bool = True, **adapters: Any,
) -> Iterator[Checker]:  # fmt: skip
    """A checker over the corpus's own store, ``SYNTH_HOME/eval/<hash of the corpus>``:
    papers of the user's corpus cannot be retrieved, and a second run reuses the stored
    passages and vectors. The verifier is the settings' own (``SYNTH_HOME/models``);
    ``adapters`` (scorer, embedder, reranker) replace the configured ones. Without
    ``embed_all``, passages are embedded only when a check names their papers (enough for
    checks that all name theirs; a whole-corpus search still embeds everything first)."""
    try:
        digest = content_id("corpus", corpus.read_bytes())
    except OSError as exc:
        raise SynthError(f"{corpus}: cannot read ({exc.strerror})", "give the corpus file") from exc
    retrieve = settings.retrieve
    if max_papers is not None:
        retrieve = retrieve.model_copy(update={"max_papers": max_papers})
    own = settings.model_copy(update={"retrieve": retrieve})

    def load(ingestor: Ingestor) -> None:
        outcomes = list(ingestor.add_paths([corpus], "jsonl"))
        failed = [o for o in outcomes if o.error is not None]
        if len(failed) == len(outcomes):
            raise SynthError(f"{corpus}: no abstract could be read", str(failed[0].error))

    with eval_checker(own, digest, load, progress, embed_all, **adapters) as checker:
        yield checker


@contextmanager
def eval_checker(
    settings: Settings, key: str, load: Callable[[Ingestor], None],
    progress: ProgressSink | None = None, embed_all: bool = True, **adapters: Any,
) -> Iterator[Checker]:  # fmt: skip
    """A checker over a store of a benchmark's own, ``SYNTH_HOME/eval/<key>``, filled by
    ``load`` (a second run finds its papers and vectors stored), with the settings' own
    verifier from ``SYNTH_HOME/models`` unless ``adapters`` replace it; its index is
    brought up to date before it is handed out.

    Args:
        settings: The user's settings (their home holds the benchmark's store).
        key: The store's folder name under ``eval/``.
        load: Puts the papers in through the ingestor given; raises when it cannot.
        progress: Where ingest and embedding progress goes.
        embed_all: Embed every passage and bring the index up to date first (False:
            leave it to the checks, as :meth:`Retriever.search` does).
        **adapters: scorer, embedder, reranker, as :func:`configured_checker` takes them.

    Returns:
        The checker, for the ``with`` block; the store closes after it.
    """
    own = settings.model_copy(update={"home": settings.home / "eval" / key})
    with Store(own.db_path) as store:
        load(Ingestor(store, own, progress))
        checker = configured_checker(store, own, progress, settings.models_dir, **adapters)
        if embed_all:
            checker.retriever.prepare()
        yield checker


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
            "per_class_f1": {c: f.f1 for c, f in per_class(gold, self.labels, CLASSES).items()},
            "ece": expected_calibration_error(self.confidences, correct),
            "auroc": auroc(self.confidences, correct),
        }


def evaluate(
    checker: Checker, claims: Sequence[SciFactClaim], progress: ProgressSink | None = None
) -> dict[str, Any]:
    """Check every claim open and oracle; the figures of both, with timing."""
    progress = progress or NoProgress()
    stored = {s.paper.paper_id for s in checker.store.summaries()}
    open_, oracle = SettingResult(), SettingResult()
    started = time.monotonic()
    refused: dict[str, str] = {}
    for done, claim in enumerate(claims, start=1):
        cited = [d for d in claim.cited_doc_ids if d in stored]
        reason = checker.refusal(claim.claim)
        if reason is not None:  # synth check refuses it: NOT_ENOUGH_INFO in both settings
            refused[claim.id] = reason
            unchecked = checker.judge(Claim(text=claim.claim), [])
            open_.add(claim, unchecked)
            oracle.add(claim, unchecked)
        else:
            open_.add(claim, checker.check(claim.claim))
            oracle.add(claim, checker.check(claim.claim, cited) if cited
                       else checker.judge(Claim(text=claim.claim), []))  # fmt: skip
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
        "verdict_head": checker.head is not None,
        "refused": refused,  # claim id -> why synth check refused it (counted NEI)
    }
    return figures
