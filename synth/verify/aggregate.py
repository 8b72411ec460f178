"""From scored evidence to labels: per paper, then across papers. Pure functions.

A paper's evidence is summarised as :class:`PaperScores` (every sentence's NLI scores, the
passages' and paragraphs' when they were scored, how close the paper is to the claim, its
rank, the numeric check). With a fitted verdict head (:mod:`synth.verify.head`) those
become features and the head gives calibrated P(SUPPORTED), P(REFUTED), P(NEI); without
one (any NLI model from the hub), the threshold rule applies: a paper SUPPORTS a claim when
its most entailing sentence reaches ``threshold`` and beats its most contradicting one,
REFUTES it the other way round, and otherwise has NOT_ENOUGH_INFO.

The numbers then have the last word: evidence that states the claim's quantity (the same
subject) with another value REFUTES the claim whatever the NLI said, and a claim whose
numbers the evidence lacks cannot be SUPPORTED. A paper that states the claim word for word
(:mod:`synth.verify.quote`) SUPPORTS it, whatever the model said. Across papers the most
confident decisive paper gives the label; papers on both sides mark the verdict as a
conflict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from synth.core.errors import SynthError
from synth.core.types import Evidence, Label, NumericCheck, NumericStatus, PaperVerdict
from synth.verify.head import ConfidenceMap, Head, logit
from synth.verify.quote import QUOTED

FloatArray = npt.NDArray[np.float64]
ORDER = (Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO)  # the head's classes


@dataclass(frozen=True)
class PaperScores:
    """One paper's evidence for a claim, as numbers. Rows are (entailment, neutral,
    contradiction) probabilities; ``passages`` and ``contexts`` are empty when only
    sentences were scored."""

    paper_id: str
    title: str
    rank: int  # 0 for the paper retrieval ranked first
    sentences: FloatArray
    passages: FloatArray
    contexts: FloatArray
    relevance: float  # the best cosine of the claim with one of its passages (0: unknown)
    numeric: NumericCheck
    quoted: bool = False  # one of its sentences states the claim word for word


def _top(rows: FloatArray, column: int, fallback: FloatArray) -> float:
    source = rows if len(rows) else fallback
    return float(source[:, column].max()) if len(source) else 0.0


def paper_features(scores: PaperScores) -> dict[str, float]:
    """Every feature a verdict head may use, by name (log-odds for probabilities)."""
    status = scores.numeric.status
    return {
        "entail": float(logit(_top(scores.sentences, 0, scores.passages))),
        "contradict": float(logit(_top(scores.sentences, 2, scores.passages))),
        "passage_entail": float(logit(_top(scores.passages, 0, scores.sentences))),
        "passage_contradict": float(logit(_top(scores.passages, 2, scores.sentences))),
        "context_entail": float(logit(_top(scores.contexts, 0, scores.passages))),
        "context_contradict": float(logit(_top(scores.contexts, 2, scores.passages))),
        "relevance": scores.relevance,
        "rank": float(scores.rank),
        "numbers_consistent": float(status is NumericStatus.CONSISTENT),
        "numbers_missing": float(status is NumericStatus.MISSING),
        "numbers_contradicted": float(status is NumericStatus.CONTRADICTED),
    }


FEATURES = (
    "entail", "contradict", "passage_entail", "passage_contradict", "context_entail",
    "context_contradict", "relevance", "rank", "numbers_consistent", "numbers_missing",
    "numbers_contradicted",
)  # fmt: skip


def head_probabilities(scores: PaperScores, head: Head) -> FloatArray:
    """P(SUPPORTED), P(REFUTED), P(NOT_ENOUGH_INFO) of one paper under the head."""
    features = paper_features(scores)
    probs: FloatArray = head.probabilities([[features[name] for name in head.features]])[0]
    return probs


def numbers_decide(probs: FloatArray, numeric: NumericCheck, floor: float) -> FloatArray:
    """The numbers' last word on a paper's probabilities. A contradicted quantity moves the
    support mass to REFUTED and makes REFUTED at least ``floor`` likely (the precision of
    numeric refutations on calibration claims), so REFUTED is the label; a missing one
    moves the support mass to NOT_ENOUGH_INFO."""
    s, r, n = (float(v) for v in probs)
    if numeric.status is NumericStatus.CONTRADICTED:
        refuted = max(s + r, floor, n + 1e-9)
        rest = max(0.0, 1.0 - refuted)
        return np.array([0.0, refuted, rest])
    if numeric.status is NumericStatus.MISSING:
        return np.array([0.0, r, n + s])
    return np.asarray(probs, dtype=np.float64)


@dataclass(frozen=True)
class Gates:
    """What overrides a verdict head, fitted with it on the calibration claims.

    ``numeric_floor``: the least confidence of a numeric refutation (how often evidence
    contradicting the claim's number was gold REFUTED evidence). ``min_relevance``: a paper
    whose best passage is less similar to the claim (embedding cosine) is not about it and
    has NOT_ENOUGH_INFO, as surely as ``off_topic`` (how often such papers were not gold
    evidence); 0 turns the gate off. ``confidence``: the map from a verdict's probability
    to how often such verdicts were right on held-out claims (the identity by default)."""

    numeric_floor: float = 0.5
    min_relevance: float = 0.0
    off_topic: float = 1.0
    confidence: ConfidenceMap = field(default_factory=ConfidenceMap)

    def as_json(self) -> dict[str, object]:
        """The gates as a model's metadata holds them (beside its head's weights); the
        identity map, which no calibration fitted, is left out."""
        out: dict[str, object] = {
            "numeric_floor": self.numeric_floor,
            "min_relevance": self.min_relevance,
            "off_topic": self.off_topic,
        }
        if self.confidence != ConfidenceMap():
            out["confidence"] = self.confidence.as_json()
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Gates:
        """The gates a model's metadata holds; each one it lacks is left open (its
        default). A value that is not a number is refused with the remedy."""
        gates: dict[str, float] = {}
        for name in ("numeric_floor", "min_relevance", "off_topic"):
            value = data.get(name, getattr(cls, name))
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SynthError(f"the model's verdict gate {name} is not a number",
                                 "fit it again: synth models calibrate")  # fmt: skip
            gates[name] = float(value)
        return cls(**gates, confidence=ConfidenceMap.from_json(data.get("confidence")))


def relevance_gate(probs: FloatArray, relevance: float, gates: Gates) -> FloatArray:
    """NOT_ENOUGH_INFO, ``gates.off_topic`` sure, for a paper below ``gates.min_relevance``
    (a relevance of 0 is unknown: evidence given as text, no embedding)."""
    if not 0.0 < relevance < gates.min_relevance:
        return probs
    s, r, _ = (float(v) for v in probs)
    rest = 1.0 - gates.off_topic
    return np.array([rest * s / (s + r or 1.0), rest * r / (s + r or 1.0), gates.off_topic])


def quoted_gate(probs: FloatArray, quoted: bool) -> FloatArray:
    """SUPPORTED, at least :data:`~synth.verify.quote.QUOTED` sure, for a paper that states
    the claim word for word; the other labels share the rest as they did."""
    if not quoted:
        return probs
    s, r, n = (float(v) for v in probs)
    supported = max(s, QUOTED)
    scale = (1.0 - supported) / (r + n or 1.0)
    return np.array([supported, r * scale, n * scale])


def decide(
    scores: PaperScores, head: Head | None, threshold: float, gates: Gates | None = None
) -> PaperVerdict:
    """One paper's verdict: the head's most likely label (or the threshold rule without a
    head), after the numbers' last word, unless the paper is not about the claim. With a
    head, the confidence is the label's probability mapped by ``gates.confidence`` to how
    often such verdicts were right, at least a third: a label is never less likely than
    another. A paper that states the claim word for word supports it (at the quote rule's
    own measured confidence)."""
    if head is None:
        verdict = numeric_gate(rule_verdict(scores, threshold), scores.numeric)
        if scores.quoted and verdict.label is not Label.SUPPORTED:
            return verdict.model_copy(update={"label": Label.SUPPORTED, "confidence": QUOTED})
        return verdict
    gates = gates or Gates()
    probs = numbers_decide(head_probabilities(scores, head), scores.numeric, gates.numeric_floor)
    probs = quoted_gate(relevance_gate(probs, scores.relevance, gates), scores.quoted)
    best = int(np.argmax(probs))
    confidence = float(probs[best]) if scores.quoted else gates.confidence(float(probs[best]))
    return PaperVerdict(
        paper_id=scores.paper_id, title=scores.title, label=ORDER[best],
        confidence=confidence,
        probabilities=tuple(float(p) for p in probs),
    )  # fmt: skip


def rule_verdict(scores: PaperScores, threshold: float) -> PaperVerdict:
    """The threshold rule on a paper's sentences (or passages, when only those were scored)."""
    rows = scores.sentences if len(scores.sentences) else scores.passages
    if not len(rows):
        return PaperVerdict(paper_id=scores.paper_id, title=scores.title,
                            label=Label.NOT_ENOUGH_INFO, confidence=1.0)  # fmt: skip
    entail, contra = float(rows[:, 0].max()), float(rows[:, 2].max())
    if entail >= threshold and entail >= contra:
        label, confidence = Label.SUPPORTED, entail
    elif contra >= threshold:
        label, confidence = Label.REFUTED, contra
    else:
        label, confidence = Label.NOT_ENOUGH_INFO, 1.0 - max(entail, contra)
    return PaperVerdict(paper_id=scores.paper_id, title=scores.title, label=label,
                        confidence=confidence)  # fmt: skip


def numeric_gate(verdict: PaperVerdict, check: NumericCheck) -> PaperVerdict:
    """The numbers' last word under the threshold rule. Evidence that states the claim's
    quantity with another value REFUTES the claim whatever the NLI said (at least as sure as
    a coin: a refutation is never less likely than not); a SUPPORTED paper whose evidence
    lacks the claim's numbers has NOT_ENOUGH_INFO, as sure as the support was."""
    if check.status is NumericStatus.CONTRADICTED and verdict.label is not Label.REFUTED:
        confidence = verdict.confidence if verdict.label is Label.SUPPORTED else 0.5
        return verdict.model_copy(update={"label": Label.REFUTED, "confidence": confidence})
    if check.status is NumericStatus.MISSING and verdict.label is Label.SUPPORTED:
        return verdict.model_copy(update={"label": Label.NOT_ENOUGH_INFO})
    return verdict


def deciding_paper(papers: Sequence[PaperVerdict]) -> PaperVerdict | None:
    """The paper whose verdict becomes the claim's: the most confident decisive one, or
    with none decisive the least sure (None when there are no papers)."""
    decisive = [p for p in papers if p.label is not Label.NOT_ENOUGH_INFO]
    if decisive:
        return max(decisive, key=lambda p: p.confidence)
    return min(papers, key=lambda p: p.confidence, default=None)


def claim_verdict(papers: Sequence[PaperVerdict]) -> tuple[Label, float, bool]:
    """(label, confidence, conflict) across papers (:func:`deciding_paper`'s). With no
    decisive paper the claim has NOT_ENOUGH_INFO, as sure as the least sure paper (fully
    sure when no paper had any evidence)."""
    best = deciding_paper(papers)
    if best is None:
        return Label.NOT_ENOUGH_INFO, 1.0, False
    decisive = {p.label for p in papers if p.label is not Label.NOT_ENOUGH_INFO}
    return best.label, best.confidence, len(decisive) > 1


def best_first(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Evidence ordered by how strongly it speaks either way (then by retrieval); a passage
    that states the claim word for word comes first."""
    return sorted(evidence, key=lambda e: (not e.verbatim, -max(e.entailment, e.contradiction),
                                           -e.retrieval_score))  # fmt: skip
