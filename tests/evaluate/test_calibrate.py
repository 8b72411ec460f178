"""Calibration rows and the verdict head fitted on them: rows from the SciFact fixture (its
cited papers and the corpus setting) and from paired evidence, with fakes whose every score
is known; the head's per-data-set weighting and the numeric floor checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import FIXTURES
from fakes import HashingEmbedder, PhraseScorer, Recorder

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.settings import Settings
from synth.core.types import Label, Paper, SourceKind, content_id
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.sources.scifact import SciFactClaim, read_claims
from synth.corpus.store import Store
from synth.evaluate.calibrate import (
    Rows,
    bm25_papers,
    dealt,
    fit_confidence,
    fit_relevance_gate,
    fit_verdict_head,
    held_out_verdicts,
    numeric_refutation_precision,
    pair_rows,
    scifact_rows,
)
from synth.retrieval.search import Retriever
from synth.verify.datasets import Pair

S, R, N = 0, 1, 2  # indices into ORDER: SUPPORTED, REFUTED, NOT_ENOUGH_INFO
RULES = {
    "Sleep onset came 12|warm bath": (0.9, 0.05, 0.05),
    "Afternoon coffee lowered|Afternoon coffee improves": (0.1, 0.1, 0.8),
    "Warm baths shorten": (0.9, 0.05, 0.05),
    "Cloth masks leak": (0.1, 0.2, 0.7),
}


@pytest.fixture
def store(scifact_store: Store) -> Store:
    return scifact_store


def checker(store: Store) -> Checker:
    settings = Settings()
    return Checker(store, Retriever(store, HashingEmbedder(), settings), PhraseScorer(RULES),
                   settings)  # fmt: skip


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_rows_extend_appends_in_order() -> None:
    rows = Rows([{"entail": 1.0}], [S], ["scifact"])
    other = Rows([{"entail": 2.0}, {"entail": 3.0}], [N, R], ["healthver", "healthver"])
    rows.extend(other)
    rows.extend(Rows())
    assert rows == Rows(
        [{"entail": 1.0}, {"entail": 2.0}, {"entail": 3.0}],
        [S, N, R],
        ["scifact", "healthver", "healthver"],
    )
    assert other.labels == [N, R]  # the rows added are left as they were


def test_rows_of_two_sets_keep_their_claim_checks_apart(store: Store) -> None:
    claims = read_claims(FIXTURES / "scifact" / "claims.jsonl")[:2]
    rows = scifact_rows(checker(store), claims, "scifact")
    # claim 1 (SUPPORT): its cited paper, then BM25's three; claim 2 (CONTRADICT): two and two
    assert rows.checks == [0, 1, 1, 1, 2, 3, 3]
    assert rows.claim_labels == [S, S, S, S, R, R, R]
    assert rows.kinds == ["cited", "open", "open", "open", "cited", "open", "open"]
    assert [s.paper_id for s in rows.scores] == ["201", "201", "206", "203", "202", "202", "203"]
    both = Rows()
    both.extend(rows)
    both.extend(rows)
    assert both.checks == [0, 1, 1, 1, 2, 3, 3, 4, 5, 5, 5, 6, 7, 7]
    picked = both.subset([8, 0])
    assert (picked.checks, picked.labels, picked.sources) == ([5, 0], [S, S], ["scifact"] * 2)
    assert picked.kinds == ["open", "cited"]
    assert picked.scores == [rows.scores[1], rows.scores[0]]
    assert Rows([{"rank": 0.0}], [S], ["x"]).subset([0]).scores == []  # hand-made rows


# --- BM25 candidates ----------------------------------------------------------------------


def test_bm25_papers_are_distinct_in_ranking_order() -> None:
    settings = Settings()
    papers = {
        # four sentences: two passages, both about zebras grazing
        "zebras": ["Zebras graze at dawn.", "Zebras graze in herds.", "Zebras graze fast.",
                   "Zebras graze on grass."],
        "savanna": ["The savanna is home to many animals, lions, elephants, giraffes and "
                    "antelopes, and zebras among them, which researchers counted by plane."],
        "lions": ["Lions hunt at night."],
    }  # fmt: skip
    with Store(settings.db_path) as store:
        for key, sentences in papers.items():
            page = sentences_page(sentences)
            paper = Paper(id=content_id("p", key), paper_id=key, source=SourceKind.JSONL,
                          title=key.title(), pages=1)  # fmt: skip
            store.add(paper, [page], chunk_page(page, key, settings.chunk), replace=False)
        ranked = [store.found([k])[k].passage.paper_id for k, _ in store.bm25("Zebras graze", 9)]
        assert ranked == ["zebras", "zebras", "savanna"]  # the zebras paper twice
        assert bm25_papers(store, "Zebras graze") == ["zebras", "savanna"]
        assert bm25_papers(store, "Zebras graze", count=1) == ["zebras"]
        assert bm25_papers(store, "Penguins swim") == []
        assert bm25_papers(store, "?!") == []  # no word to search for


def test_bm25_papers_on_the_scifact_fixture(store: Store) -> None:
    claim = "A warm bath before bed brings sleep onset 12 minutes earlier."
    assert bm25_papers(store, claim) == ["201", "206", "203"]
    assert bm25_papers(store, claim, count=2) == ["201", "206"]


# --- rows ---------------------------------------------------------------------------------


def test_scifact_rows_for_the_cited_papers_and_the_corpus(store: Store) -> None:
    claims = read_claims(FIXTURES / "scifact" / "claims.jsonl")[:2]
    sink = Recorder()
    rows = scifact_rows(checker(store), claims, "scifact", sink)
    # claim 1: cited 201 (SUPPORT); BM25 201, 206, 203. Claim 2: cited 202 (CONTRADICT);
    # BM25 202, 203. A paper that is not gold evidence is NOT_ENOUGH_INFO.
    assert rows.labels == [S, S, N, N, R, R, N]
    assert [row["rank"] for row in rows.features] == [0, 0, 1, 2, 0, 0, 1]
    assert rows.sources == ["scifact"] * 7
    cited = rows.features[0]
    assert cited["entail"] == pytest.approx(logit(0.9))
    assert cited["contradict"] == pytest.approx(logit(0.05))
    assert cited["passage_entail"] == cited["entail"]  # no feature asked for whole passages
    assert cited["numbers_consistent"] == 1.0  # "12 minutes" on both sides
    assert rows.features[4]["contradict"] == pytest.approx(logit(0.8))
    assert rows.features[2]["entail"] == pytest.approx(logit(0.05))  # 206: neutral
    assert rows.features[2]["numbers_missing"] == 1.0  # 206 states 9 minutes, not 12
    assert sink.updates == [("calibrating on scifact", 1, 2), ("calibrating on scifact", 2, 2)]


def test_scifact_rows_skip_cited_papers_not_in_the_corpus(store: Store) -> None:
    claims = [
        # 999 is not stored: only 202 is judged as cited, then BM25's 202 and 204
        SciFactClaim("a", "Evening coffee harms memory.", {}, ("999", "202")),
        # nothing stored is cited and BM25 finds no word of it: no rows
        SciFactClaim("b", "Penguins swim beneath Antarctic ice.", {}, ("999",)),
    ]
    rows = scifact_rows(checker(store), claims, "citint")
    assert rows.labels == [N, N, N]
    assert [row["rank"] for row in rows.features] == [0, 0, 1]
    assert rows.sources == ["citint"] * 3


PAIRS = [
    Pair("We asked 40 volunteers. Warm baths shorten sleep onset.",
         "Warm baths help people fall asleep.", 0),  # Supports
    Pair("Quiet music had no measurable effect.", "Music speeds up reading.", 1),  # Neutral
    # four sentences, two passages of one evidence text: still one row
    Pair("Masks filter droplets. Fit matters. Fabric matters less. Cloth masks leak.",
         "Cloth masks stop the spread.", 2),  # Refutes
    Pair("", "An empty evidence text gives no row.", 0),
]  # fmt: skip


def test_pair_rows_one_row_a_pair_labelled_by_the_pair(store: Store) -> None:
    sink = Recorder()
    rows = pair_rows(checker(store), PAIRS, "healthver", sink)
    assert rows.labels == [S, N, R]
    assert rows.sources == ["healthver"] * 3 and rows.kinds == ["pair"] * 3
    entail = [row["entail"] for row in rows.features]
    contradict = [row["contradict"] for row in rows.features]
    assert entail == pytest.approx([logit(0.9), logit(0.05), logit(0.1)])
    assert contradict == pytest.approx([logit(0.05), logit(0.05), logit(0.7)])
    assert all(row["rank"] == 0.0 and row["relevance"] == 0.0 for row in rows.features)
    assert sink.updates == [("calibrating on healthver", n, 4) for n in range(1, 5)]


# --- the head -----------------------------------------------------------------------------


def test_fitting_without_rows_is_a_synth_error() -> None:
    with pytest.raises(SynthError, match="no calibration verdicts"):
        fit_verdict_head(Rows(), ["entail"])


def _rows(labels_by_source: dict[str, list[int]]) -> Rows:
    rows = Rows()
    for source, labels in labels_by_source.items():
        rows.extend(Rows([{"rank": 0.0} for _ in labels], list(labels), [source] * len(labels)))
    return rows


@pytest.mark.parametrize(
    "sources",
    [
        {"all": [S, R, N, N, N, N, N, N, S, R]},  # shares 2/10, 2/10, 6/10
        {"small": [S, R], "large": [N, N, N, N, N, N, N, S]},  # 2, 1 and 7 rows of 10
    ],
)
def test_each_label_weighs_the_same(sources: dict[str, list[int]]) -> None:
    # a feature that is always 0 leaves the biases alone to fit the weighted label shares:
    # each label's rows weigh as much in all, so each label is a third likely
    head = fit_verdict_head(_rows(sources), ["rank"])
    assert head.features == ("rank",)
    assert tuple(head.probabilities([[0.0]])[0]) == pytest.approx((1 / 3,) * 3, abs=1e-4)


def test_the_head_reads_the_named_features() -> None:
    # rows carry every feature; the head is fitted on the two it is given, in that order
    points = [((3.0, -3.0), S), ((2.0, -2.5), S), ((-3.0, 3.0), R), ((-2.5, 2.0), R),
              ((-3.0, -3.0), N), ((-2.0, -2.5), N)]  # fmt: skip
    rows = Rows(
        [{"entail": e, "contradict": c, "rank": 7.0} for (e, c), _ in points],
        [label for _, label in points],
        ["scifact"] * len(points),
    )
    head = fit_verdict_head(rows, ["entail", "contradict"], l2=0.1)
    assert head.features == ("entail", "contradict")
    probs = head.probabilities([p for p, _ in points])
    assert list(np.argmax(probs, axis=1)) == [label for _, label in points]


# --- the numeric floor --------------------------------------------------------------------


def test_numeric_refutation_precision() -> None:
    flags = [(1.0, R), (1.0, R), (1.0, N), (0.0, S), (0.0, R)]
    rows = Rows([{"numbers_contradicted": f} for f, _ in flags], [label for _, label in flags],
                ["scifact"] * len(flags))  # fmt: skip
    # three papers with contradicted numbers, two of them gold REFUTED evidence
    assert numeric_refutation_precision(rows) == pytest.approx(2 / 3)
    rows.extend(Rows([{"numbers_contradicted": 1.0}], [S], ["healthver"]))
    assert numeric_refutation_precision(rows) == 0.5  # 2 of 4


def test_numeric_refutation_precision_is_a_half_without_contradicted_numbers() -> None:
    assert numeric_refutation_precision(Rows()) == 0.5
    rows = Rows([{"numbers_contradicted": 0.0}] * 3, [R, R, R], ["scifact"] * 3)
    assert numeric_refutation_precision(rows) == 0.5


def test_the_relevance_gate_lets_through_the_gold_evidence_it_must() -> None:
    relevance = [0.1, 0.2, 0.6, 0.7, 0.8, 0.05, 0.15, 0.5, 0.0]
    labels = [S, R, S, R, S, N, N, N, S]  # the last: relevance unknown, left out
    rows = Rows([{"relevance": r} for r in relevance], labels, ["scifact"] * 9)
    floor, off_topic = fit_relevance_gate(rows, recall=0.8)
    # gold relevances 0.1 0.2 0.6 0.7 0.8: the 20% quantile is 0.18
    assert floor == pytest.approx(0.18)
    # below it: 0.1 (S), 0.05 (N), 0.15 (N) -> two of three not gold evidence
    assert off_topic == pytest.approx(2 / 3)
    assert fit_relevance_gate(Rows([{"relevance": 0.0}], [S], ["healthver"])) == (0.0, 1.0)


# --- the confidence map -------------------------------------------------------------------


def test_folds_are_dealt_round_robin_in_order() -> None:
    assert dealt([7, 3, 9, 4, 1], 2) == {7: 0, 3: 1, 9: 0, 4: 1, 1: 0}
    assert dealt([], 5) == {}


def test_held_out_verdicts_one_per_claim_check(store: Store) -> None:
    claims = read_claims(FIXTURES / "scifact" / "claims.jsonl")
    rows = scifact_rows(checker(store), claims, "scifact")
    rows.extend(pair_rows(checker(store), PAIRS * 3, "healthver"))
    held = held_out_verdicts(rows, ["entail", "contradict"])
    assert len(held.papers) == len(rows.labels)
    assert [p.paper_id for p in held.papers] == [s.paper_id for s in rows.scores]
    assert len(held.labels) == len(held.confidence) == len(held.right) == len(set(rows.checks))
    assert all(1 / 3 <= c <= 1.0 for c in held.confidence)
    fitted = fit_confidence(rows, ["entail", "contradict"])
    assert math.isfinite(fitted.slope) and math.isfinite(fitted.intercept)


def test_held_out_verdicts_judge_each_check_by_a_head_fitted_without_it(store: Store) -> None:
    # each pair alone in its fold against a head fitted on the others: with two folds of
    # one supporting and one refuting pair each, a fold's head still tells them apart
    rows = pair_rows(checker(store), PAIRS[:1] * 2 + PAIRS[2:3] * 2, "healthver")
    held = held_out_verdicts(rows, ["entail", "contradict"], folds=2)
    assert held.labels == [Label.SUPPORTED, Label.SUPPORTED, Label.REFUTED, Label.REFUTED]
    assert held.right == [True, True, True, True]
    assert held.confidence[0] == pytest.approx(held.confidence[1])


def test_held_out_verdicts_need_scored_rows() -> None:
    with pytest.raises(SynthError, match="need the rows' scores"):
        held_out_verdicts(Rows([{"entail": 1.0}], [S], ["x"]), ["entail"])
