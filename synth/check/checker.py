"""Checking claims: validate, retrieve, score the evidence with NLI, compare the numbers,
decide per paper, then across papers.

:class:`Checker` wires the parts it is given (store, retriever, NLI scorer, settings and
the verdict head), so tests hand it deterministic fakes and the library hands it the real
adapters."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from synth.check.claims import validate_claim
from synth.core.errors import SynthError
from synth.core.progress import ProgressSink
from synth.core.settings import Settings
from synth.core.types import Claim, Evidence, Label, NumericCheck, Paper, PaperVerdict, Verdict
from synth.corpus.parsing.chunk import split_sentences
from synth.corpus.store import Store
from synth.retrieval.embed import Embedder
from synth.retrieval.search import Hit, Reranker, Retriever
from synth.verify.aggregate import (
    FloatArray,
    Gates,
    PaperScores,
    best_first,
    claim_verdict,
    decide,
)
from synth.verify.head import Head
from synth.verify.nli import NLIScorer, premise_text
from synth.verify.numeric import check_numbers
from synth.verify.quote import states_verbatim

NUMERIC_PASSAGES = 3  # a paper's most entailing (and best retrieved) passages compared
_EMPTY = np.zeros((0, 3))


class Checker:
    def __init__(
        self, store: Store, retriever: Retriever, scorer: NLIScorer, settings: Settings,
        head: Head | None = None, gates: Gates | None = None, features: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self.store = store
        self.retriever = retriever
        self.scorer = scorer
        self.settings = settings
        self.head = head  # None: the threshold rule decides
        self.gates = gates or Gates()  # what overrides the head (numbers, relevance)
        # features to compute beyond the head's: a head's calibration asks for all of its own
        self.features = tuple(features)
        self.settings_hash = settings.retrieval_hash()

    def papers(self, refs: Sequence[str]) -> list[Paper] | None:
        """The stored papers the user named (None: the whole corpus); an unknown one is an
        error that says how to add it."""
        return [self.store.require(ref) for ref in refs] if refs else None

    def refusal(self, text: str) -> str | None:
        """Why :meth:`check` would refuse this claim (empty, too long, not English...), or
        None. Benchmarks count a refused claim and go on."""
        try:
            validate_claim(text, self.settings.verify.max_claim_chars)
        except SynthError as exc:
            return exc.message
        return None

    def check(self, text: str, refs: Sequence[str] = ()) -> Verdict:
        """The verdict on one claim, against the papers in ``refs`` or the whole corpus."""
        claim = Claim(text=validate_claim(text, self.settings.verify.max_claim_chars),
                      papers=tuple(refs))  # fmt: skip
        hits = self.retriever.search(claim.text, self.papers(refs))
        return self.judge(claim, hits)

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> Verdict:
        """Score the retrieved passages and turn them into a verdict."""
        evidence, scores = self.assess(claim, hits)
        threshold = self.settings.verify.threshold
        papers = [decide(s, self.head, threshold, self.gates) for s in scores]
        label, confidence, conflict = claim_verdict(papers)
        return Verdict(
            claim=claim, label=label, confidence=confidence, conflict=conflict,
            papers=tuple(sorted(papers, key=lambda p: -p.confidence)),
            evidence=tuple(best_first(evidence)),
            numeric=self._claim_numbers(claim.text, label, papers, scores, evidence),
            model=self.scorer.name, settings_hash=self.settings_hash,
        )  # fmt: skip

    def _units(self) -> tuple[bool, bool]:
        """Whether passages and paragraphs are scored whole (a feature asks for them)."""
        names = (*self.features, *(self.head.features if self.head else ()))
        return (any(n.startswith("passage_") for n in names),
                any(n.startswith("context_") for n in names))  # fmt: skip

    def assess(self, claim: Claim, hits: Sequence[Hit]) -> tuple[list[Evidence], list[PaperScores]]:
        """Score every sentence of every passage (and, when the head uses them, each passage
        and paragraph whole) in one batch. Each passage becomes :class:`Evidence` with the
        scores of its most decisive sentence, which it quotes; each paper, in retrieval
        order, becomes :class:`PaperScores`."""
        whole_passages, contexts = self._units()
        spans = [split_sentences(h.found.passage.text) or [(0, len(h.found.passage.text))]
                 for h in hits]  # fmt: skip
        pairs: list[tuple[str, str]] = []
        for h, sentences in zip(hits, spans, strict=True):
            passage = h.found.passage
            pairs += [(premise_text(h.found.title, passage.text[s:e]), claim.text)
                      for s, e in sentences]  # fmt: skip
            if whole_passages:
                pairs.append((premise_text(h.found.title, passage.text), claim.text))
        paragraphs = list(dict.fromkeys(
            (h.found.passage.paper_id, h.found.title, h.found.passage.context)
            for h in hits if contexts and h.found.passage.context
        ))  # fmt: skip
        pairs += [(premise_text(title, text), claim.text) for _, title, text in paragraphs]
        probs = self._score_once(pairs)
        evidence: list[Evidence] = []
        rows: dict[str, dict[str, list[np.ndarray]]] = {}
        at = 0
        for h, sentences in zip(hits, spans, strict=True):
            block = probs[at : at + len(sentences)]
            at += len(sentences)
            paper = rows.setdefault(h.found.passage.paper_id, {"s": [], "p": [], "c": []})
            paper["s"].append(block)
            if whole_passages:
                paper["p"].append(probs[at : at + 1])
                at += 1
            quoted = [i for i, (s, e) in enumerate(sentences)
                      if states_verbatim(claim.text, h.found.passage.text[s:e])]  # fmt: skip
            best = quoted[0] if quoted else int(np.argmax(np.maximum(block[:, 0], block[:, 2])))
            evidence.append(
                Evidence(
                    claim_id=claim.id, passage=h.found.passage, retrieval_score=h.score,
                    entailment=float(block[best, 0]), neutral=float(block[best, 1]),
                    contradiction=float(block[best, 2]),
                    quote_start=sentences[best][0], quote_end=sentences[best][1],
                    relevance=h.dense, verbatim=bool(quoted),
                )
            )  # fmt: skip
        for i, (paper_id, _, _) in enumerate(paragraphs):
            rows[paper_id]["c"].append(probs[at + i : at + i + 1])
        titles = {h.found.passage.paper_id: h.found.title for h in hits}
        scores = []
        for rank, (paper_id, parts) in enumerate(rows.items()):
            own = [e for e in evidence if e.passage.paper_id == paper_id]
            scores.append(PaperScores(
                paper_id=paper_id, title=titles[paper_id], rank=rank,
                sentences=np.vstack(parts["s"]),
                passages=np.vstack(parts["p"]) if parts["p"] else _EMPTY,
                contexts=np.vstack(parts["c"]) if parts["c"] else _EMPTY,
                relevance=max((e.relevance or 0.0 for e in own), default=0.0),
                numeric=self._numbers(claim.text, own), quoted=any(e.verbatim for e in own),
            ))  # fmt: skip
        return evidence, scores

    def _score_once(self, pairs: Sequence[tuple[str, str]]) -> FloatArray:
        """The scores of ``pairs``, each distinct pair scored once (a one-sentence passage
        scored whole is the same premise as its sentence)."""
        distinct = list(dict.fromkeys(pairs))
        if len(distinct) == len(pairs):
            return self.scorer.score(pairs)
        at = {pair: i for i, pair in enumerate(distinct)}
        return self.scorer.score(distinct)[[at[pair] for pair in pairs]]

    @staticmethod
    def _numbers(claim: str, rows: Sequence[Evidence]) -> NumericCheck:
        """The numeric check against a paper's most entailing passages and its best
        retrieved ones (a table row states a number the NLI model reads poorly)."""
        strongest = sorted(rows, key=lambda e: -e.entailment)[:NUMERIC_PASSAGES]
        nearest = sorted(rows, key=lambda e: -e.retrieval_score)[:NUMERIC_PASSAGES]
        chosen = list(dict.fromkeys(e.passage.context or e.passage.text
                                    for e in (*strongest, *nearest)))  # fmt: skip
        return check_numbers(claim, chosen)

    def _claim_numbers(
        self, claim: str, label: Label, papers: Sequence[PaperVerdict],
        scores: Sequence[PaperScores], evidence: Sequence[Evidence],
    ) -> NumericCheck:  # fmt: skip
        """The numeric check of the paper that decided the label, or of all evidence."""
        deciding = [p for p in papers if p.label is label and label is not Label.NOT_ENOUGH_INFO]
        if deciding:
            best = max(deciding, key=lambda p: p.confidence).paper_id
            return next(s.numeric for s in scores if s.paper_id == best)
        return self._numbers(claim, evidence)


def configured_checker(
    store: Store, settings: Settings, progress: ProgressSink | None = None,
    models_dir: Path | None = None, *, scorer: NLIScorer | None = None,
    embedder: Embedder | None = None, reranker: Reranker | None = None,
) -> Checker:  # fmt: skip
    """The checker with the configured adapters, or the ones given.

    Args:
        store: The corpus to search.
        settings: Retrieval and verification settings.
        progress: Where embedding progress goes.
        models_dir: Where built verifiers are looked up (default: the settings' own).
        scorer: The NLI scorer; default the Hugging Face verifier of ``settings.verify.model``
            with the verdict head fitted for it.
        embedder: The passage embedder; default sentence-transformers ``settings.embed.model``.
        reranker: A re-ranker; default the cross-encoder ``settings.retrieve.reranker`` if set.

    Returns:
        A :class:`Checker` over ``store``.
    """
    from synth.retrieval.embed import SentenceTransformerEmbedder
    from synth.retrieval.search import CrossEncoderReranker
    from synth.verify.nli import HFNLIScorer

    if scorer is None:
        scorer = HFNLIScorer(
            settings.verify.model, models_dir or settings.models_dir, settings.verify.batch_size,
            settings.verify.max_length, settings.verify.precision,
        )  # fmt: skip
    if embedder is None:
        embedder = SentenceTransformerEmbedder(settings.embed.model, settings.embed.batch_size)
    if reranker is None and settings.retrieve.reranker:
        reranker = CrossEncoderReranker(settings.retrieve.reranker)
    retriever = Retriever(store, embedder, settings, reranker, progress)
    head, gates = scorer.verdict_head()
    return Checker(store, retriever, scorer, settings, head, gates)
