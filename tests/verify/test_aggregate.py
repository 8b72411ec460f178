"""From scored passages to labels: per paper, the numeric gate, across papers, and evidence
order. Expected values are worked out by hand in the comments beside them."""

from __future__ import annotations

import pytest

from synth.types import Evidence, Label, NumericCheck, NumericStatus, PaperVerdict, Passage
from synth.verify.aggregate import best_first, claim_verdict, numeric_gate, paper_verdict

S, R, N = Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO


def _ev(entail: float, contra: float, retrieval: float = 0.0, text: str = "A result.") -> Evidence:
    """Evidence for one passage of paper p1; neutral takes what is left of 1."""
    passage = Passage(
        paper_id="p1",
        page_start=1,
        page_end=1,
        section="Results",
        char_start=0,
        char_end=len(text),
        text=text,
    )
    return Evidence(
        claim_id="c_1",
        passage=passage,
        retrieval_score=retrieval,
        entailment=entail,
        contradiction=contra,
        neutral=max(0.0, 1.0 - entail - contra),
    )


def _pv(label: Label, confidence: float, paper_id: str = "p1") -> PaperVerdict:
    return PaperVerdict(paper_id=paper_id, title="T", label=label, confidence=confidence)


# ---------------------------------------------------------------------------------------
# paper_verdict


@pytest.mark.parametrize(
    ("scores", "threshold", "label", "confidence"),
    [
        # e = 0.8 >= 0.5 and >= c = 0.1 -> SUPPORTED at e
        ([(0.8, 0.1)], 0.5, S, 0.8),
        # c = 0.7 >= 0.5 and > e = 0.1 -> REFUTED at c
        ([(0.1, 0.7)], 0.5, R, 0.7),
        # both below 0.5 -> NEI at 1 - max(0.3, 0.2) = 0.7
        ([(0.3, 0.2)], 0.5, N, 0.7),
        # c > e but c below 0.5 -> NEI at 1 - max(0.2, 0.45) = 0.55
        ([(0.2, 0.45)], 0.5, N, 0.55),
        # e = 0.8 is below a 0.9 threshold -> NEI at 1 - 0.8 = 0.2
        ([(0.8, 0.1)], 0.9, N, 0.2),
        # boundary: e exactly 0.5 reaches threshold 0.5 -> SUPPORTED at 0.5
        ([(0.5, 0.1)], 0.5, S, 0.5),
        # boundary: c exactly 0.5 reaches threshold 0.5 -> REFUTED at 0.5
        ([(0.1, 0.5)], 0.5, R, 0.5),
        # tie: max e = 0.6 == max c = 0.6, both >= 0.5 -> SUPPORTED wins the tie, at 0.6
        ([(0.6, 0.1), (0.1, 0.6)], 0.5, S, 0.6),
        # maxima come from different passages: e = 0.9 (1st), c = 0.95 (2nd) -> REFUTED 0.95
        ([(0.9, 0.05), (0.05, 0.95)], 0.5, R, 0.95),
        # max e = 0.7 (1st), max c = 0.3 (2nd) -> SUPPORTED at 0.7
        ([(0.7, 0.1), (0.2, 0.3)], 0.5, S, 0.7),
        # three weak passages: max e = 0.3, max c = 0.25 -> NEI at 1 - 0.3 = 0.7
        ([(0.1, 0.1), (0.3, 0.0), (0.0, 0.25)], 0.5, N, 0.7),
        # threshold 0: anything supports unless contradiction is higher; e = c = 0 -> S at 0
        ([(0.0, 0.0)], 0.0, S, 0.0),
    ],
)
def test_paper_verdict(
    scores: list[tuple[float, float]], threshold: float, label: Label, confidence: float
) -> None:
    verdict = paper_verdict("p1", [_ev(e, c) for e, c in scores], threshold, title="Paper")
    assert verdict.label is label
    assert verdict.confidence == pytest.approx(confidence)
    assert verdict.paper_id == "p1"
    assert verdict.title == "Paper"


def test_paper_verdict_no_evidence_is_sure_nei() -> None:
    verdict = paper_verdict("p9", [], 0.5, title="Empty")
    assert verdict == PaperVerdict(paper_id="p9", title="Empty", label=N, confidence=1.0)


def test_paper_verdict_title_defaults_to_empty() -> None:
    assert paper_verdict("p1", [_ev(0.8, 0.1)], 0.5).title == ""


# ---------------------------------------------------------------------------------------
# numeric_gate


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (NumericStatus.NO_NUMBERS, S),  # no numbers to disagree about: stays SUPPORTED
        (NumericStatus.CONSISTENT, S),  # numbers agree: stays SUPPORTED
        (NumericStatus.MISSING, N),  # claim's numbers not in the evidence: NEI
        (NumericStatus.CONTRADICTED, R),  # evidence gives another value: REFUTED
    ],
)
def test_numeric_gate_on_supported(status: NumericStatus, label: Label) -> None:
    gated = numeric_gate(_pv(S, 0.8, "p7"), NumericCheck(status=status))
    assert gated.label is label
    assert gated.confidence == pytest.approx(0.8)  # confidence kept
    assert (gated.paper_id, gated.title) == ("p7", "T")


@pytest.mark.parametrize("status", list(NumericStatus))
@pytest.mark.parametrize("label", [R, N])
def test_numeric_gate_leaves_other_labels_alone(status: NumericStatus, label: Label) -> None:
    verdict = _pv(label, 0.65)
    gated = numeric_gate(verdict, NumericCheck(status=status))
    assert gated == verdict
    assert gated.label is label
    assert gated.confidence == pytest.approx(0.65)


# ---------------------------------------------------------------------------------------
# claim_verdict


@pytest.mark.parametrize(
    ("papers", "expected"),
    [
        # no papers: NEI, fully sure, no conflict
        ([], (N, 1.0, False)),
        # all NEI: NEI at the least sure paper, min(0.7, 0.4, 0.9) = 0.4
        ([(N, 0.7), (N, 0.4), (N, 0.9)], (N, 0.4, False)),
        # one decisive paper among NEI ones decides, even though an NEI is surer (0.99)
        ([(N, 0.99), (S, 0.55)], (S, 0.55, False)),
        # two SUPPORTED: the surer one (0.9 > 0.6) gives the confidence
        ([(S, 0.6), (S, 0.9)], (S, 0.9, False)),
        # both sides: REFUTED 0.8 > SUPPORTED 0.6 -> REFUTED 0.8, conflict
        ([(S, 0.6), (R, 0.8), (N, 0.99)], (R, 0.8, True)),
        # both sides: SUPPORTED 0.95 > REFUTED 0.7 -> SUPPORTED 0.95, conflict
        ([(R, 0.7), (S, 0.95)], (S, 0.95, True)),
        # only REFUTED papers: no conflict, max(0.5, 0.75) = 0.75
        ([(R, 0.5), (R, 0.75)], (R, 0.75, False)),
    ],
)
def test_claim_verdict(
    papers: list[tuple[Label, float]], expected: tuple[Label, float, bool]
) -> None:
    label, confidence, conflict = claim_verdict(
        [_pv(lab, conf, f"p{i}") for i, (lab, conf) in enumerate(papers)]
    )
    assert label is expected[0]
    assert confidence == pytest.approx(expected[1])
    assert conflict is expected[2]


# ---------------------------------------------------------------------------------------
# best_first


def test_best_first_orders_by_strength_then_retrieval() -> None:
    a = _ev(0.2, 0.1, retrieval=0.9, text="A.")  # strength max(0.2, 0.1) = 0.2
    b = _ev(0.1, 0.8, retrieval=0.1, text="B.")  # strength 0.8 (contradiction counts too)
    c = _ev(0.7, 0.1, retrieval=0.3, text="C.")  # strength 0.7
    d = _ev(0.1, 0.7, retrieval=0.5, text="D.")  # strength 0.7, retrieval 0.5 > 0.3 -> before c
    # 0.8 (b) > 0.7 (d, retrieval 0.5) > 0.7 (c, retrieval 0.3) > 0.2 (a)
    assert best_first([a, b, c, d]) == [b, d, c, a]


def test_best_first_empty_and_does_not_mutate() -> None:
    assert best_first([]) == []
    items = [_ev(0.1, 0.0, text="X."), _ev(0.9, 0.0, text="Y.")]
    ordered = best_first(items)
    assert [e.passage.text for e in ordered] == ["Y.", "X."]  # 0.9 > 0.1
    assert [e.passage.text for e in items] == ["X.", "Y."]  # input left as it was
