"""From scored evidence to labels: the threshold rule, the verdict head's features and
decision, the numbers' last word, across papers, and evidence order. Expected values are
worked out by hand in the comments beside them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synth.core.errors import SynthError
from synth.core.types import Evidence, Label, NumericCheck, NumericStatus, PaperVerdict, Passage
from synth.verify.aggregate import (
    FEATURES,
    Gates,
    PaperScores,
    best_first,
    claim_verdict,
    decide,
    deciding_paper,
    numbers_decide,
    numeric_gate,
    paper_features,
    quoted_gate,
    relevance_gate,
    rule_verdict,
)
from synth.verify.head import ConfidenceMap, Head
from synth.verify.quote import QUOTED

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
# rule_verdict: the threshold rule, used when the model has no verdict head


def _scores(
    sentences: list[tuple[float, float]], numeric: NumericStatus = NumericStatus.NO_NUMBERS,
    passages: list[tuple[float, float]] | None = None, rank: int = 0, relevance: float = 0.5,
    quoted: bool = False,
) -> PaperScores:  # fmt: skip
    """Scores of paper p1; each (entailment, contradiction) row gets the rest as neutral."""

    def rows(pairs: list[tuple[float, float]]) -> np.ndarray:
        return np.array([(e, max(0.0, 1 - e - c), c) for e, c in pairs]).reshape(-1, 3)

    return PaperScores(
        paper_id="p1", title="Paper", rank=rank, sentences=rows(sentences),
        passages=rows(passages or []), contexts=rows([]), relevance=relevance,
        numeric=NumericCheck(status=numeric), quoted=quoted,
    )  # fmt: skip


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
        # maxima come from different sentences: e = 0.9 (1st), c = 0.95 (2nd) -> REFUTED 0.95
        ([(0.9, 0.05), (0.05, 0.95)], 0.5, R, 0.95),
        # three weak sentences: max e = 0.3, max c = 0.25 -> NEI at 1 - 0.3 = 0.7
        ([(0.1, 0.1), (0.3, 0.0), (0.0, 0.25)], 0.5, N, 0.7),
    ],
)
def test_rule_verdict(
    scores: list[tuple[float, float]], threshold: float, label: Label, confidence: float
) -> None:
    verdict = rule_verdict(_scores(scores), threshold)
    assert (verdict.label, verdict.paper_id, verdict.title) == (label, "p1", "Paper")
    assert verdict.confidence == pytest.approx(confidence)
    assert verdict.probabilities is None  # no head, no probabilities


def test_rule_verdict_with_nothing_scored_is_sure_nei() -> None:
    assert rule_verdict(_scores([]), 0.5).label is N
    assert rule_verdict(_scores([]), 0.5).confidence == 1.0


# ---------------------------------------------------------------------------------------
# the verdict head's features and decision


def test_paper_features_are_log_odds_of_the_strongest_rows() -> None:
    features = paper_features(
        _scores(
            [(0.5, 0.1), (0.2, 0.8)],
            NumericStatus.MISSING,
            passages=[(0.9, 0.05)],
            rank=2,
            relevance=0.4,
        )
    )
    assert set(features) == set(FEATURES)
    assert features["entail"] == pytest.approx(0.0)  # logit(0.5)
    assert features["contradict"] == pytest.approx(math.log(0.8 / 0.2))
    assert features["passage_entail"] == pytest.approx(math.log(0.9 / 0.1))
    # no contexts scored: the context features fall back to the passages
    assert features["context_entail"] == features["passage_entail"]
    assert (features["rank"], features["relevance"]) == (2.0, 0.4)
    assert (features["numbers_missing"], features["numbers_contradicted"]) == (1.0, 0.0)


def test_without_passages_the_passage_features_fall_back_to_sentences() -> None:
    features = paper_features(_scores([(0.7, 0.2)]))
    assert features["passage_entail"] == features["entail"]


# A head that reads only "entail" and "contradict": weights (per class: entail, contradict,
# bias) make SUPPORTED grow with entailment, REFUTED with contradiction.
HEAD = Head(("entail", "contradict"), ((2.0, 0.0, 0.0), (0.0, 2.0, 0.0), (0.0, 0.0, 1.0)))


def test_decide_with_a_head_gives_its_most_likely_label() -> None:
    verdict = decide(_scores([(0.9, 0.05)]), HEAD, threshold=0.5)
    assert verdict.label is S and verdict.probabilities is not None
    assert sum(verdict.probabilities) == pytest.approx(1.0)
    assert verdict.confidence == pytest.approx(max(verdict.probabilities))
    assert decide(_scores([(0.05, 0.9)]), HEAD, 0.5).label is R
    assert decide(_scores([(0.1, 0.1)]), HEAD, 0.5).label is N


@pytest.mark.parametrize(
    ("probs", "status", "expected"),
    [
        # no numbers or numbers that agree: the head's probabilities stand
        ((0.6, 0.1, 0.3), NumericStatus.NO_NUMBERS, (0.6, 0.1, 0.3)),
        ((0.6, 0.1, 0.3), NumericStatus.CONSISTENT, (0.6, 0.1, 0.3)),
        # missing numbers: the support mass goes to NEI (0.3 + 0.6)
        ((0.6, 0.1, 0.3), NumericStatus.MISSING, (0.0, 0.1, 0.9)),
        # contradicted: REFUTED takes the support mass, 0.6 + 0.1 = 0.7
        ((0.6, 0.1, 0.3), NumericStatus.CONTRADICTED, (0.0, 0.7, 0.3)),
        # contradicted while the head said NEI at 0.8: REFUTED at least the floor 0.6 and
        # above NEI, so max(0.2, 0.6, 0.8) = 0.8 (+ a hair), the rest NEI
        ((0.1, 0.1, 0.8), NumericStatus.CONTRADICTED, (0.0, 0.8, 0.2)),
    ],
)
def test_numbers_have_the_last_word(
    probs: tuple[float, float, float], status: NumericStatus, expected: tuple[float, ...]
) -> None:
    out = numbers_decide(np.array(probs), NumericCheck(status=status), floor=0.6)
    assert out == pytest.approx(np.array(expected), abs=1e-6)
    assert sum(out) == pytest.approx(1.0)


def test_a_numeric_refutation_is_refuted_whatever_the_nli_said() -> None:
    verdict = decide(
        _scores([(0.1, 0.1)], NumericStatus.CONTRADICTED), HEAD, 0.5, Gates(numeric_floor=0.6)
    )
    assert verdict.label is R
    assert verdict.confidence >= 0.6  # never below the floor, never below a third


@pytest.mark.parametrize(
    ("relevance", "expected"),
    [
        (0.10, (0.075, 0.025, 0.9)),  # below the gate: NEI as sure as off-topic papers were
        (0.30, None),  # at or above: the head decides
        (0.0, None),  # unknown relevance (evidence given as text): no gate
    ],
)
def test_a_paper_not_about_the_claim_has_not_enough_info(
    relevance: float, expected: tuple[float, float, float] | None
) -> None:
    gates = Gates(min_relevance=0.3, off_topic=0.9)
    probs = np.array([0.6, 0.2, 0.2])
    out = relevance_gate(probs, relevance, gates)
    assert out == pytest.approx(expected if expected is not None else probs)


def test_the_relevance_gate_in_a_decision() -> None:
    scores = _scores([(0.95, 0.01)])
    on_topic = decide(scores, HEAD, 0.5, Gates(min_relevance=0.3, off_topic=0.8))
    gated = Gates(min_relevance=scores.relevance + 0.1, off_topic=0.8)
    off_topic = decide(scores, HEAD, 0.5, gated)
    assert on_topic.label is S
    assert (off_topic.label, off_topic.confidence) == (N, pytest.approx(0.8))


@pytest.mark.parametrize(
    ("probs", "quoted", "expected"),
    [
        # not quoted: the probabilities stand
        ((0.2, 0.5, 0.3), False, (0.2, 0.5, 0.3)),
        # quoted while the head said REFUTED: SUPPORTED at QUOTED (0.98); REFUTED and NEI
        # share the remaining 0.02 as 5:3
        ((0.2, 0.5, 0.3), True, (QUOTED, 0.0125, 0.0075)),
        # quoted and already surer than QUOTED: unchanged
        ((0.99, 0.005, 0.005), True, (0.99, 0.005, 0.005)),
    ],
)
def test_a_quoted_claim_is_supported(
    probs: tuple[float, float, float], quoted: bool, expected: tuple[float, float, float]
) -> None:
    out = quoted_gate(np.array(probs), quoted)
    assert out == pytest.approx(np.array(expected))
    assert sum(out) == pytest.approx(1.0)


@pytest.mark.parametrize("head", [HEAD, None])
def test_a_paper_that_states_the_claim_supports_it_whatever_the_model_said(
    head: Head | None,
) -> None:
    verdict = decide(_scores([(0.34, 0.48)], quoted=True), head, 0.5)
    assert (verdict.label, verdict.confidence) == (S, pytest.approx(QUOTED))


def test_gates_round_trip_through_the_metadata() -> None:
    gates = Gates(0.7, 0.47, 0.9, ConfidenceMap(0.25, 0.02))
    assert Gates.from_json(gates.as_json()) == gates
    assert "confidence" not in Gates(0.7).as_json()  # no map was fitted: none is written


def test_gates_a_model_lacks_are_left_open() -> None:
    assert Gates.from_json({}) == Gates()
    assert Gates.from_json({"min_relevance": 0.4}) == Gates(min_relevance=0.4)


@pytest.mark.parametrize("value", ["0.5", None, True, [0.5]])
def test_a_gate_that_is_not_a_number_is_refused(value: object) -> None:
    with pytest.raises(SynthError, match="off_topic is not a number") as err:
        Gates.from_json({"off_topic": value})
    assert "synth models calibrate" in err.value.hint


def test_without_a_head_the_rule_and_the_numeric_gate_decide() -> None:
    verdict = decide(_scores([(0.9, 0.0)], NumericStatus.CONTRADICTED), None, 0.5)
    assert (verdict.label, verdict.confidence) == (R, pytest.approx(0.9))


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


@pytest.mark.parametrize(
    "status", [s for s in NumericStatus if s is not NumericStatus.CONTRADICTED]
)
@pytest.mark.parametrize("label", [R, N])
def test_numeric_gate_leaves_other_labels_alone(status: NumericStatus, label: Label) -> None:
    verdict = _pv(label, 0.65)
    assert numeric_gate(verdict, NumericCheck(status=status)) == verdict


def test_contradicted_numbers_refute_whatever_the_nli_said() -> None:
    contradicted = NumericCheck(status=NumericStatus.CONTRADICTED)
    refuted = _pv(R, 0.65)
    assert numeric_gate(refuted, contradicted) == refuted
    # "XLM-R improves Urdu by 20.1%" where the abstract says 11.4: the NLI saw no support
    gated = numeric_gate(_pv(N, 0.9), contradicted)
    assert (gated.label, gated.confidence) == (R, pytest.approx(0.5))


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


def test_deciding_paper_is_the_surest_decisive_one_else_the_least_sure() -> None:
    weak, sure, nei_sure, nei_weak = (
        _pv(S, 0.55, "a"),
        _pv(R, 0.8, "b"),
        _pv(N, 0.99, "c"),
        _pv(N, 0.4, "d"),
    )
    # a decisive paper decides even when an NEI one is surer; among them 0.8 > 0.55
    assert deciding_paper([nei_sure, weak, sure]) is sure
    # no decisive paper: the least sure, min(0.99, 0.4) = 0.4
    assert deciding_paper([nei_sure, nei_weak]) is nei_weak
    assert deciding_paper([]) is None


# ---------------------------------------------------------------------------------------
# best_first


def test_best_first_orders_by_strength_then_retrieval() -> None:
    a = _ev(0.2, 0.1, retrieval=0.9, text="A.")  # strength max(0.2, 0.1) = 0.2
    b = _ev(0.1, 0.8, retrieval=0.1, text="B.")  # strength 0.8 (contradiction counts too)
    c = _ev(0.7, 0.1, retrieval=0.3, text="C.")  # strength 0.7
    d = _ev(0.1, 0.7, retrieval=0.5, text="D.")  # strength 0.7, retrieval 0.5 > 0.3 -> before c
    # 0.8 (b) > 0.7 (d, retrieval 0.5) > 0.7 (c, retrieval 0.3) > 0.2 (a)
    assert best_first([a, b, c, d]) == [b, d, c, a]


def test_best_first_puts_a_quote_of_the_claim_first() -> None:
    strong = _ev(0.1, 0.9, text="A.")
    quote = _ev(0.3, 0.5, text="B.").model_copy(update={"verbatim": True})
    assert best_first([strong, quote]) == [quote, strong]


def test_best_first_empty_and_does_not_mutate() -> None:
    assert best_first([]) == []
    items = [_ev(0.1, 0.0, text="X."), _ev(0.9, 0.0, text="Y.")]
    ordered = best_first(items)
    assert [e.passage.text for e in ordered] == ["Y.", "X."]  # 0.9 > 0.1
    assert [e.passage.text for e in items] == ["X.", "Y."]  # input left as it was


def test_the_confidence_map_sets_a_verdicts_confidence_but_not_its_label() -> None:
    scores = _scores([(0.9, 0.05)])
    plain = decide(scores, HEAD, 0.5)
    shrunk = ConfidenceMap(slope=0.5, intercept=0.0)
    mapped = decide(scores, HEAD, 0.5, Gates(confidence=shrunk))
    assert mapped.label is plain.label is S
    assert mapped.confidence == pytest.approx(shrunk(plain.confidence))
    assert mapped.probabilities == plain.probabilities  # the head's own figures stay


def test_a_quote_keeps_the_quote_rules_confidence_under_a_map() -> None:
    gates = Gates(confidence=ConfidenceMap(slope=0.2, intercept=-1.0))
    verdict = decide(_scores([(0.34, 0.48)], quoted=True), HEAD, 0.5, gates)
    assert (verdict.label, verdict.confidence) == (S, pytest.approx(QUOTED))
