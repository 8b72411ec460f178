"""Fitting the verdict head on held-out calibration claims of several data sets.

For each calibration claim the checker assesses the papers retrieval would hand it, and
each paper becomes one row: its features (:func:`synth.verify.aggregate.paper_features`)
and its gold label (SUPPORTED / REFUTED when it is the claim's gold evidence with that
label, NOT_ENOUGH_INFO otherwise). Two settings per claim, as users check claims: against
its cited papers (``synth check --paper``) and against the corpus. For the corpus setting
the candidates are the three papers BM25 ranks first, searched like named papers: so only
their passages are embedded, and a build does not embed whole corpora (which would take
longer than the training). Then a multinomial logistic regression is fitted on the rows,
each label weighted equally."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.types import Claim, Label
from synth.corpus.sources.scifact import SciFactClaim
from synth.corpus.store import Store
from synth.evaluate.pairs import PAIR_LABELS, evidence_hits
from synth.retrieval.search import Hit
from synth.verify.aggregate import ORDER, paper_features
from synth.verify.datasets import Pair
from synth.verify.head import Head, fit_head

OPEN_PAPERS = 3  # papers BM25 hands the corpus setting
_GOLD = {"SUPPORT": Label.SUPPORTED, "CONTRADICT": Label.REFUTED}


@dataclass
class Rows:
    """Feature rows with their gold labels (indices into ``ORDER``) and data set names."""

    features: list[dict[str, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def extend(self, other: Rows) -> None:
        self.features += other.features
        self.labels += other.labels
        self.sources += other.sources


def _add(rows: Rows, checker: Checker, claim: Claim, hits: Sequence[Hit], gold: dict[str, Label],
         source: str) -> None:  # fmt: skip
    _, scores = checker.assess(claim, hits)
    for paper in scores:
        rows.features.append(paper_features(paper))
        rows.labels.append(ORDER.index(gold.get(paper.paper_id, Label.NOT_ENOUGH_INFO)))
        rows.sources.append(source)


def bm25_papers(store: Store, claim: str, count: int = OPEN_PAPERS) -> list[str]:
    """The first ``count`` distinct papers of the claim's BM25 ranking."""
    keys = [key for key, _ in store.bm25(claim, 20 * count)]
    found = store.found(keys)
    papers = list(dict.fromkeys(found[k].passage.paper_id for k in keys if k in found))
    return papers[:count]


def scifact_rows(
    checker: Checker, claims: Sequence[SciFactClaim], source: str,
    progress: ProgressSink | None = None,
) -> Rows:  # fmt: skip
    """Rows from SciFact-format claims whose corpus is the checker's store."""
    progress = progress or NoProgress()
    stored = {s.paper.paper_id for s in checker.store.summaries()}
    rows = Rows()
    for done, item in enumerate(claims, start=1):
        claim = Claim(text=item.claim)
        gold = {doc: _GOLD[label] for doc, label in item.gold.items()}
        for refs in ([d for d in item.cited_doc_ids if d in stored],
                     bm25_papers(checker.store, item.claim)):  # fmt: skip
            if refs:
                hits = checker.retriever.search(item.claim, checker.papers(refs))
                _add(rows, checker, claim, hits, gold, source)
        progress.update(f"calibrating on {source}", done, len(claims))
    return rows


def pair_rows(
    checker: Checker, pairs: Sequence[Pair], source: str, progress: ProgressSink | None = None
) -> Rows:
    """Rows from claims paired with their evidence (HealthVer)."""
    progress = progress or NoProgress()
    rows = Rows()
    for done, pair in enumerate(pairs, start=1):
        label = Label(PAIR_LABELS[pair.label])
        hits = evidence_hits(checker, pair.premise)
        gold = {hits[0].found.passage.paper_id: label} if hits else {}
        _add(rows, checker, Claim(text=pair.hypothesis), hits, gold, source)
        progress.update(f"calibrating on {source}", done, len(pairs))
    return rows


def fit_verdict_head(rows: Rows, features: Sequence[str], l2: float = 1.0) -> Head:
    """The head fitted on every row, each label weighing as much as the others (refuting
    evidence is scarce: unweighted, the head would almost never say REFUTED)."""
    if not rows.labels:
        raise SynthError("no calibration verdicts to fit the head on",
                         "give the shared data folder with SciFact and the claim sets")  # fmt: skip
    counts = {label: rows.labels.count(label) for label in set(rows.labels)}
    weights = [len(rows.labels) / (len(counts) * counts[label]) for label in rows.labels]
    x = [[row[name] for name in features] for row in rows.features]
    return fit_head(x, rows.labels, features, l2=l2, weights=weights)


def numeric_refutation_precision(rows: Rows) -> float:
    """How often a paper whose numbers contradict the claim is gold REFUTED evidence on the
    calibration claims (0.5 when none did): the least confidence of a numeric refutation."""
    hits = [label for row, label in zip(rows.features, rows.labels, strict=True)
            if row["numbers_contradicted"]]  # fmt: skip
    if not hits:
        return 0.5
    return float(np.mean([ORDER[label] is Label.REFUTED for label in hits]))


RELEVANCE_RECALL = 0.95  # share of gold evidence papers the relevance gate must let through


def fit_relevance_gate(rows: Rows, recall: float = RELEVANCE_RECALL) -> tuple[float, float]:
    """(min_relevance, off_topic) for :class:`synth.verify.aggregate.Gates`: the relevance
    below which only ``1 - recall`` of the gold SUPPORTED / REFUTED papers lie, and how often
    the papers below it were not gold evidence (rows of unknown relevance, 0, left out).
    (0, 1) when no row has a known relevance."""
    pairs = zip(rows.features, rows.labels, strict=True)
    known = [(row["relevance"], label) for row, label in pairs if row["relevance"] > 0]
    gold = [r for r, label in known if ORDER[label] is not Label.NOT_ENOUGH_INFO]
    if not gold:
        return 0.0, 1.0
    floor = float(np.quantile(gold, 1.0 - recall))
    below = [label for r, label in known if r < floor]
    off_topic = (
        float(np.mean([ORDER[label] is Label.NOT_ENOUGH_INFO for label in below])) if below else 1.0
    )
    return floor, off_topic
