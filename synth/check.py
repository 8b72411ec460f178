"""Checking claims: validate, retrieve, score each sentence of the evidence with NLI, gate
on numbers, aggregate.

:class:`Checker` wires the parts it is given (store, retriever, NLI scorer, settings), so
tests hand it deterministic fakes and the CLI hands it the real adapters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from synth.claims import validate_claim
from synth.parsing.chunk import split_sentences
from synth.retrieval.search import Hit, Retriever
from synth.settings import Settings
from synth.store import Store
from synth.types import Claim, Evidence, Label, NumericCheck, Paper, PaperVerdict, Verdict
from synth.verify.aggregate import best_first, claim_verdict, numeric_gate, paper_verdict
from synth.verify.calibration import Isotonic, apply_isotonic
from synth.verify.nli import NLIScorer, premise_text
from synth.verify.numeric import check_numbers

NUMERIC_PASSAGES = 3  # a paper's most entailing passages whose numbers are compared


class Checker:
    def __init__(
        self, store: Store, retriever: Retriever, scorer: NLIScorer, settings: Settings,
        calibration: Isotonic | None = None,
    ) -> None:  # fmt: skip
        self.store = store
        self.retriever = retriever
        self.scorer = scorer
        self.settings = settings
        self.calibration = calibration  # maps a verdict's confidence to P(label is right)
        self.settings_hash = settings.retrieval_hash()

    def papers(self, refs: Sequence[str]) -> list[Paper] | None:
        """The stored papers the user named (None: the whole corpus); an unknown one is an
        error that says how to add it."""
        return [self.store.require(ref) for ref in refs] if refs else None

    def check(self, text: str, refs: Sequence[str] = ()) -> Verdict:
        """The verdict on one claim, against the papers in ``refs`` or the whole corpus."""
        claim = Claim(text=validate_claim(text, self.settings.verify.max_claim_chars),
                      papers=tuple(refs))  # fmt: skip
        hits = self.retriever.search(claim.text, self.papers(refs))
        return self.judge(claim, hits)

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> Verdict:
        """Score the retrieved passages and turn them into a verdict."""
        evidence = self._evidence(claim, hits)
        titles = {h.found.passage.paper_id: h.found.title for h in hits}
        by_paper: dict[str, list[Evidence]] = {}
        for e in evidence:
            by_paper.setdefault(e.passage.paper_id, []).append(e)
        threshold = self.settings.verify.threshold
        papers: list[PaperVerdict] = []
        checks: dict[str, NumericCheck] = {}
        for paper_id, rows in by_paper.items():
            verdict = paper_verdict(paper_id, rows, threshold, titles[paper_id])
            checks[paper_id] = self._numbers(claim.text, rows)
            verdict = numeric_gate(verdict, checks[paper_id])
            if self.calibration is not None:
                calibrated = apply_isotonic(verdict.confidence, self.calibration)
                verdict = verdict.model_copy(update={"confidence": calibrated})
            papers.append(verdict)
        label, confidence, conflict = claim_verdict(papers)
        return Verdict(
            claim=claim, label=label, confidence=confidence, conflict=conflict,
            papers=tuple(sorted(papers, key=lambda p: -p.confidence)),
            evidence=tuple(best_first(evidence)),
            numeric=self._claim_numbers(claim.text, label, papers, checks, evidence),
            model=self.scorer.name, settings_hash=self.settings_hash,
        )  # fmt: skip

    def _evidence(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        """Score every sentence of every passage in one batch; each passage keeps the
        scores of its most decisive sentence and quotes it."""
        spans = [split_sentences(h.found.passage.text) or [(0, len(h.found.passage.text))]
                 for h in hits]  # fmt: skip
        probs = self.scorer.score(
            [
                (premise_text(h.found.title, h.found.passage.text[start:end]), claim.text)
                for h, sentences in zip(hits, spans, strict=True)
                for start, end in sentences
            ]
        )
        evidence: list[Evidence] = []
        row = 0
        for h, sentences in zip(hits, spans, strict=True):
            block = probs[row : row + len(sentences)]
            row += len(sentences)
            best = int(np.argmax(np.maximum(block[:, 0], block[:, 2])))
            evidence.append(
                Evidence(
                    claim_id=claim.id, passage=h.found.passage, retrieval_score=h.score,
                    entailment=float(block[best, 0]), neutral=float(block[best, 1]),
                    contradiction=float(block[best, 2]),
                    quote_start=sentences[best][0], quote_end=sentences[best][1],
                )
            )  # fmt: skip
        return evidence

    @staticmethod
    def _numbers(claim: str, rows: Sequence[Evidence]) -> NumericCheck:
        strongest = sorted(rows, key=lambda e: -e.entailment)[:NUMERIC_PASSAGES]
        return check_numbers(claim, [e.passage.context or e.passage.text for e in strongest])

    def _claim_numbers(
        self, claim: str, label: Label, papers: Sequence[PaperVerdict],
        checks: dict[str, NumericCheck], evidence: Sequence[Evidence],
    ) -> NumericCheck:  # fmt: skip
        """The numeric check of the paper that decided the label, or of all evidence."""
        deciding = [p for p in papers if p.label is label and label is not Label.NOT_ENOUGH_INFO]
        if deciding:
            return checks[max(deciding, key=lambda p: p.confidence).paper_id]
        return self._numbers(claim, evidence)


def verdict_json(verdict: Verdict, **extra: Any) -> dict[str, Any]:
    """The one JSON shape of a verdict (``synth check --json``, each ``--batch`` line)."""
    return {
        **extra,
        "claim": verdict.claim.text,
        "label": verdict.label.value,
        "confidence": round(verdict.confidence, 4),
        "conflict": verdict.conflict,
        "papers": [
            {"paper_id": p.paper_id, "label": p.label.value, "confidence": round(p.confidence, 4)}
            for p in verdict.papers
        ],
        "evidence": [
            {
                "paper_id": e.passage.paper_id,
                "page": e.passage.page_start,
                "passage_id": e.passage.id,
                "text": e.passage.text,
                "quote": e.quote,
                "entailment": round(e.entailment, 4),
                "contradiction": round(e.contradiction, 4),
                "neutral": round(e.neutral, 4),
                "retrieval_score": round(e.retrieval_score, 6),
            }
            for e in verdict.evidence
        ],
        "numeric": verdict.numeric.model_dump(mode="json") if verdict.numeric else None,
        "model": verdict.model,
        "settings_hash": verdict.settings_hash,
    }
