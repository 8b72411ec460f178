"""Fitting the verdict head on held-out calibration claims of several data sets.

For each calibration claim the checker assesses the papers retrieval would hand it, and
each paper becomes one row: its features (:func:`synth.verify.aggregate.paper_features`)
and its gold label (SUPPORTED / REFUTED when it is the claim's gold evidence with that
label, NOT_ENOUGH_INFO otherwise). Two settings per claim, as users check claims: against
its cited papers (``synth check --paper``) and against the corpus. For the corpus setting
the candidates are the three papers BM25 ranks first, searched like named papers: so only
their passages are embedded, and a build does not embed whole corpora (which would take
longer than the training). Then a multinomial logistic regression is fitted on the rows,
each label weighted equally, and the gates beside it. Last, the confidence map: every
claim check is judged again as the checker judges it, by a head and gates fitted on the
other folds, and a Platt map is fitted from those verdicts' probabilities to how often they
were right (:func:`fit_confidence`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.types import Claim, Label, PaperVerdict
from synth.corpus.sources.scifact import SciFactClaim
from synth.corpus.store import Store
from synth.evaluate.pairs import PAIR_LABELS, evidence_hits
from synth.retrieval.search import Hit
from synth.verify.aggregate import ORDER, Gates, PaperScores, claim_verdict, decide, paper_features
from synth.verify.datasets import Pair
from synth.verify.head import ConfidenceMap, Head, fit_confidence_map, fit_head

OPEN_PAPERS = 3  # papers BM25 hands the corpus setting
T = TypeVar("T")
_GOLD = {"SUPPORT": Label.SUPPORTED, "CONTRADICT": Label.REFUTED}


@dataclass
class Rows:
    """Feature rows with their gold labels (indices into ``ORDER``) and data set names;
    rows the checker made also keep the scores they came from (``scores``), which claim
    check they belong to (``checks``, numbered from 0), that claim's gold label
    (``claim_labels``), so held-out verdicts can be formed as the checker forms them, and
    how the check chose its papers (``kinds``: "cited", "open" for BM25's top papers,
    "pair" for given evidence)."""

    features: list[dict[str, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    scores: list[PaperScores] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)
    claim_labels: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def extend(self, other: Rows) -> None:
        offset = max(self.checks, default=-1) + 1
        self.features += other.features
        self.labels += other.labels
        self.sources += other.sources
        self.scores += other.scores
        self.checks += [offset + check for check in other.checks]
        self.claim_labels += other.claim_labels
        self.kinds += other.kinds

    def subset(self, keep: Sequence[int]) -> Rows:
        """The rows at the indices ``keep``, in that order."""

        def pick(column: list[T]) -> list[T]:
            return [column[i] for i in keep] if column else []

        return Rows(pick(self.features), pick(self.labels), pick(self.sources),
                    pick(self.scores), pick(self.checks), pick(self.claim_labels),
                    pick(self.kinds))  # fmt: skip


def _add(rows: Rows, checker: Checker, claim: Claim, hits: Sequence[Hit], gold: dict[str, Label],
         source: str, claim_label: Label, kind: str) -> None:  # fmt: skip
    _, scores = checker.assess(claim, hits)
    check = max(rows.checks, default=-1) + 1
    for paper in scores:
        rows.features.append(paper_features(paper))
        rows.labels.append(ORDER.index(gold.get(paper.paper_id, Label.NOT_ENOUGH_INFO)))
        rows.sources.append(source)
        rows.scores.append(paper)
        rows.checks.append(check)
        rows.claim_labels.append(ORDER.index(claim_label))
        rows.kinds.append(kind)


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
        claim_label = _GOLD.get(item.label, Label.NOT_ENOUGH_INFO)
        for kind, refs in (("cited", [d for d in item.cited_doc_ids if d in stored]),
                           ("open", bm25_papers(checker.store, item.claim))):  # fmt: skip
            if refs:
                hits = checker.retriever.search(item.claim, checker.papers(refs))
                _add(rows, checker, claim, hits, gold, source, claim_label, kind)
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
        _add(rows, checker, Claim(text=pair.hypothesis), hits, gold, source, label, "pair")
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


def fitted_gates(rows: Rows) -> Gates:
    """The numeric floor and the relevance gate fitted on ``rows`` (confidences unmapped)."""
    min_relevance, off_topic = fit_relevance_gate(rows)
    return Gates(numeric_refutation_precision(rows), min_relevance, off_topic)


CONFIDENCE_FOLDS = 5


def dealt(items: Sequence[T], folds: int) -> dict[T, int]:
    """Each item's fold (0 to ``folds - 1``), dealt round-robin in the items' order."""
    return {item: i % folds for i, item in enumerate(items)}


@dataclass(frozen=True)
class HeldOut:
    """Calibration rows judged by heads fitted without them: a verdict per row
    (``papers``), and per claim check, in the order of ``Rows.checks``, the claim's label,
    confidence and whether it was the claim's gold label (``right``)."""

    papers: list[PaperVerdict]
    labels: list[Label]
    confidence: list[float]
    right: list[bool]


def held_out_verdicts(
    rows: Rows, features: Sequence[str], folds: int = CONFIDENCE_FOLDS
) -> HeldOut:
    """Every claim check judged as the checker judges it (paper verdicts by
    :func:`~synth.verify.aggregate.decide`, the claim's by
    :func:`~synth.verify.aggregate.claim_verdict`), by a head and gates fitted on the
    other folds (claim checks dealt round-robin into ``folds``): the development figures
    of a verifier, and what its confidence map is fitted on."""
    if len(rows.scores) != len(rows.labels) or not rows.scores:
        raise SynthError("held-out verdicts need the rows' scores",
                         "make the rows with scifact_rows / pair_rows")  # fmt: skip
    order = list(dict.fromkeys(rows.checks))
    fold_of = dealt(order, folds)
    papers: dict[int, PaperVerdict] = {}
    claims: dict[int, tuple[Label, float, bool]] = {}
    for fold in range(folds):
        inside = [i for i, c in enumerate(rows.checks) if fold_of[c] != fold]
        if not inside:
            continue
        train = rows.subset(inside)
        head, gates = fit_verdict_head(train, features), fitted_gates(train)
        by_check: dict[int, list[int]] = {}
        for i, check in enumerate(rows.checks):
            if fold_of[check] == fold:
                by_check.setdefault(check, []).append(i)
        for check, members in by_check.items():
            for i in members:  # the threshold is the rule's; a head decides here
                papers[i] = decide(rows.scores[i], head, 0.0, gates)
            label, confidence, _ = claim_verdict([papers[i] for i in members])
            gold = ORDER[rows.claim_labels[members[0]]]
            claims[check] = (label, confidence, label is gold)
    return HeldOut(
        papers=[papers[i] for i in range(len(rows.labels))],
        labels=[claims[c][0] for c in order],
        confidence=[claims[c][1] for c in order],
        right=[claims[c][2] for c in order],
    )


def fit_confidence(rows: Rows, features: Sequence[str]) -> ConfidenceMap:
    """The map from a verdict's probability to how often such verdicts were right, fitted
    on the rows' held-out claim verdicts (:func:`held_out_verdicts`)."""
    held = held_out_verdicts(rows, features)
    return fit_confidence_map(held.confidence, held.right)
