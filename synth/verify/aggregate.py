"""From scored passages to labels: per paper, then across papers. Pure functions.

A paper SUPPORTS a claim when its most entailing passage reaches ``threshold`` and beats
its most contradicting one; it REFUTES it when the contradiction side does; otherwise it
has NOT_ENOUGH_INFO. The numeric gate then keeps a paper whose numbers disagree with the
claim from supporting it. Across papers the most confident decisive paper gives the label;
papers on both sides mark the verdict as a conflict."""

from __future__ import annotations

from collections.abc import Sequence

from synth.types import Evidence, Label, NumericCheck, NumericStatus, PaperVerdict


def paper_verdict(
    paper_id: str, evidence: Sequence[Evidence], threshold: float, title: str = ""
) -> PaperVerdict:
    """One paper's label and confidence from its scored passages."""
    if not evidence:
        return PaperVerdict(paper_id=paper_id, title=title, label=Label.NOT_ENOUGH_INFO,
                            confidence=1.0)  # fmt: skip
    entail = max(e.entailment for e in evidence)
    contra = max(e.contradiction for e in evidence)
    if entail >= threshold and entail >= contra:
        label, confidence = Label.SUPPORTED, entail
    elif contra >= threshold:
        label, confidence = Label.REFUTED, contra
    else:
        label, confidence = Label.NOT_ENOUGH_INFO, 1.0 - max(entail, contra)
    return PaperVerdict(paper_id=paper_id, title=title, label=label, confidence=confidence)


def numeric_gate(verdict: PaperVerdict, check: NumericCheck) -> PaperVerdict:
    """A SUPPORTED paper whose evidence lacks the claim's numbers has NOT_ENOUGH_INFO; one
    whose evidence states other values in the same unit REFUTES the claim. The confidence
    stays that of the evidence the numbers were checked against."""
    if verdict.label is not Label.SUPPORTED:
        return verdict
    if check.status is NumericStatus.MISSING:
        return verdict.model_copy(update={"label": Label.NOT_ENOUGH_INFO})
    if check.status is NumericStatus.CONTRADICTED:
        return verdict.model_copy(update={"label": Label.REFUTED})
    return verdict


def claim_verdict(papers: Sequence[PaperVerdict]) -> tuple[Label, float, bool]:
    """(label, confidence, conflict) across papers. With no decisive paper the claim has
    NOT_ENOUGH_INFO, as sure as the least sure paper (fully sure when no paper had any
    evidence)."""
    decisive = [p for p in papers if p.label is not Label.NOT_ENOUGH_INFO]
    if not decisive:
        return Label.NOT_ENOUGH_INFO, min((p.confidence for p in papers), default=1.0), False
    best = max(decisive, key=lambda p: p.confidence)
    conflict = len({p.label for p in decisive}) > 1
    return best.label, best.confidence, conflict


def best_first(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Evidence ordered by how strongly it speaks either way (then by retrieval)."""
    return sorted(evidence, key=lambda e: (-max(e.entailment, e.contradiction), -e.retrieval_score))
