"""XTREME's metrics against values worked out by hand (named test_experiment_metrics.py:
tests/evaluate/test_metrics.py already holds the basename)."""

from __future__ import annotations

import numpy as np
import pytest

from experiments import metrics
from synth.core.errors import SynthError


def test_accuracy_is_a_percentage() -> None:
    assert metrics.accuracy([0, 1, 2, 1], [0, 1, 1, 1]) == 75.0


@pytest.mark.parametrize(("pred", "gold"), [([], []), ([1], [1, 0])])
def test_accuracy_refuses_empty_or_misaligned_input(pred: list[int], gold: list[int]) -> None:
    with pytest.raises(SynthError) as raised:
        metrics.accuracy(pred, gold)
    assert raised.value.hint


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("The  Eiffel Tower!", "eiffel tower"),
        ("An apple, a day.", "apple day"),
        ("Theater of the absurd", "theater of absurd"),  # "the" only as a whole word
        ("  U.S.A.\t(1990) ", "usa 1990"),
    ],
)
def test_normalize_answer_follows_squad_v1(text: str, normal: str) -> None:
    assert metrics.normalize_answer(text) == normal


def test_qa_scores_take_the_best_gold_answer_then_average() -> None:
    scores = metrics.qa_scores(
        ["the big red dog", "in 1990", "blue"],
        [["red dog"], ["1990", "in the year 1990"], ["green"]],
    )
    # q1: tokens big/red/dog vs red/dog: P 2/3, R 1, F1 0.8. q2: vs "1990" P 1/2 R 1 (0.667),
    # vs "in year 1990" P 1 R 2/3 (0.8): best 0.8. q3: 0. No exact match anywhere.
    assert scores["f1"] == pytest.approx(100 * 1.6 / 3)
    assert scores["exact_match"] == 0.0


def test_qa_scores_count_repeated_tokens_once_per_match() -> None:
    # go go stop vs go stop stop: 2 tokens in common, P = R = 2/3.
    assert metrics.qa_scores(["go go stop"], [["go stop stop"]])["f1"] == pytest.approx(200 / 3)


def test_qa_exact_match_after_normalisation() -> None:
    scores = metrics.qa_scores(["The Nile."], [["nile", "the river nile"]])
    assert scores == {"f1": 100.0, "exact_match": 100.0}


def test_qa_scores_need_a_gold_answer() -> None:
    with pytest.raises(SynthError, match="question 1"):
        metrics.qa_scores(["a", "b"], [["a"], []])


def test_token_f1_is_word_accuracy() -> None:
    pred = [["NOUN", "VERB"], ["DET", "", "NOUN"]]  # "" marks a word cut off by truncation
    gold = [["NOUN", "NOUN"], ["DET", "ADJ", "NOUN"]]
    assert metrics.token_f1(pred, gold) == 60.0


def test_token_f1_refuses_a_sentence_of_another_length() -> None:
    with pytest.raises(SynthError, match="sentence 0"):
        metrics.token_f1([["NOUN"]], [["NOUN", "VERB"]])


@pytest.mark.parametrize(
    ("tags", "found"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], {("PER", 0, 1), ("LOC", 3, 3)}),
        (["I-PER", "I-PER", "O"], {("PER", 0, 1)}),  # I- after O opens a chunk
        (["B-PER", "I-LOC", "I-LOC"], {("PER", 0, 0), ("LOC", 1, 2)}),  # type change
        (["B-PER", "B-PER"], {("PER", 0, 0), ("PER", 1, 1)}),
        (["O", "I-ORG", "B-ORG", "I-ORG"], {("ORG", 1, 1), ("ORG", 2, 3)}),
        (["B-LOC", ""], {("LOC", 0, 0)}),  # an empty tag is outside
        (["B-LOC", "I-LOC"], {("LOC", 0, 1)}),  # a chunk running to the end
        (["O", "O"], set()),
    ],
)
def test_chunks_follow_seqeval_default_mode(
    tags: list[str], found: set[tuple[str, int, int]]
) -> None:
    assert metrics.chunks(tags) == found


def test_span_f1_counts_exact_entities_over_all_sentences() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "I-ORG", "O"]]
    # gold PER(0-1) LOC(3) ORG(0-2); predicted PER(0-1) ORG(3) ORG(0-1): one hit of 3 and 3.
    assert metrics.span_f1(pred, gold) == pytest.approx(100 / 3)


def test_span_f1_is_zero_without_entities() -> None:
    assert metrics.span_f1([["O"]], [["O"]]) == 0.0


def test_retrieval_accuracy_uses_the_diagonal_as_gold() -> None:
    similarity = np.array([[0.9, 0.1, 0.2], [0.3, 0.2, 0.8], [0.1, 0.4, 0.7]])
    assert metrics.retrieval_accuracy(similarity) == pytest.approx(200 / 3)


def test_retrieval_accuracy_needs_a_column_per_row() -> None:
    with pytest.raises(SynthError):
        metrics.retrieval_accuracy(np.zeros((3, 2)))


# Source rows x English columns. With k=2 the mean of each row's two best cosines is
# 0.6, 0.6, 0.65, 0.475 and of each column's 0.55, 0.55, 0.45, 0.425, 0.55.
SIMILARITY = np.array(
    [
        [0.9, 0.1, 0.2, 0.0, 0.3],
        [0.2, 0.8, 0.1, 0.4, 0.0],
        [0.1, 0.3, 0.7, 0.2, 0.6],
        [0.0, 0.2, 0.1, 0.45, 0.5],
    ]
)


def test_mine_pairs_picks_the_best_ratio_margin_among_the_nearest() -> None:
    mined = metrics.mine_pairs(SIMILARITY, k=2)
    assert [(i, j) for i, j, _ in mined] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    expected = [0.9 / 0.575, 0.8 / 0.575, 0.7 / 0.55, 0.45 / 0.45]
    assert [s for _, _, s in mined] == pytest.approx(expected)
    # Row 3: cosine prefers column 4 (0.5 vs 0.45), the margin column 3 (1.0 vs 0.5/0.5125).


def test_best_threshold_f1_sweeps_the_ranked_pairs() -> None:
    mined = metrics.mine_pairs(SIMILARITY, k=2)
    f1, threshold = metrics.best_threshold_f1(mined, {(0, 0), (2, 2), (3, 4)})
    # Kept 1..4 pairs, right 1,1,2,2 of 3 gold: F1 = 2/4, 2/5, 4/6, 4/7 -> best with three.
    assert f1 == pytest.approx(200 / 3)
    assert threshold == pytest.approx((0.7 / 0.55 + 1.0) / 2)


def test_best_threshold_f1_keeps_tied_scores_together() -> None:
    scored = [(0, 0, 0.5), (1, 1, 0.5), (2, 2, 0.3)]
    # Keeping only the first 0.5 would give F1 1.0, but its tie must be kept too: 2/3.
    assert metrics.best_threshold_f1(scored, {(0, 0)}) == pytest.approx((200 / 3, 0.4))


def test_best_threshold_f1_without_a_right_pair() -> None:
    assert metrics.best_threshold_f1([(0, 1, 0.9)], {(0, 0)}) == (0.0, 0.0)
    with pytest.raises(SynthError):
        metrics.best_threshold_f1([(0, 1, 0.9)], set())
