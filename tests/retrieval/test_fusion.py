"""Ranking math: top-k, rank, reciprocal rank fusion and first_groups. Expected values are
worked out by hand in the comments beside them."""

from __future__ import annotations

import numpy as np
import pytest

from synth.retrieval.fusion import first_groups, rank, reciprocal_rank_fusion, top_k

# ---------------------------------------------------------------------------------------
# top_k


@pytest.mark.parametrize(
    ("scores", "k", "expected"),
    [
        # 0.9 (idx 1) > 0.5 (idx 2) > 0.1 (idx 0)
        ([0.1, 0.9, 0.5], 2, [1, 2]),
        ([0.1, 0.9, 0.5], 1, [1]),
        ([0.1, 0.9, 0.5], 3, [1, 2, 0]),
        # k > n: all n indices, best first
        ([0.1, 0.9, 0.5], 10, [1, 2, 0]),
        # k <= 0: nothing
        ([0.1, 0.9, 0.5], 0, []),
        ([0.1, 0.9, 0.5], -3, []),
        # empty input
        ([], 3, []),
        # negative scores: -1 > -2 > -5
        ([-5.0, -1.0, -2.0], 2, [1, 2]),
        # ties all selected: the three 3s (idx 1, 2, 4) in index order, then 2 (idx 3)
        ([1, 3, 3, 2, 3], 4, [1, 2, 4, 3]),
        ([1, 3, 3, 2, 3], 5, [1, 2, 4, 3, 0]),
        # 2-D input flattened row-major: [0.2, 0.8, 0.6, 0.4] -> 0.8 (1), 0.6 (2), 0.4 (3)
        ([[0.2, 0.8], [0.6, 0.4]], 3, [1, 2, 3]),
    ],
)
def test_top_k(scores: list, k: int, expected: list[int]) -> None:
    assert top_k(scores, k) == expected


def test_top_k_accepts_numpy_and_returns_python_ints() -> None:
    got = top_k(np.array([0.3, 0.7], dtype=np.float32), 2)
    assert got == [1, 0]  # 0.7 > 0.3
    assert all(type(i) is int for i in got)


@pytest.mark.parametrize(
    ("scores", "k", "expected"),
    [
        # the two 2s tie (idx 2, 3); only one fits, the lower index should win
        ([0.0, 0.0, 2.0, 2.0], 1, [2]),
        # 2, 2 fill two slots; the third slot is a tie between the 0s at idx 0 and 1
        ([0.0, 0.0, 2.0, 2.0], 3, [2, 3, 0]),
    ],
)
def test_top_k_ties_at_the_cut_keep_the_lower_index(
    scores: list[float], k: int, expected: list[int]
) -> None:
    assert top_k(scores, k) == expected


# ---------------------------------------------------------------------------------------
# rank


@pytest.mark.parametrize(
    ("scored", "expected"),
    [
        # 0.9 first, then the two 0.5s in order of appearance (a before c)
        ([("a", 0.5), ("b", 0.9), ("c", 0.5)], ["b", "a", "c"]),
        ([("x", 1.0)], ["x"]),
        ([], []),
        # negative scores: -0.1 > -0.2 > -3
        ([(1, -3.0), (2, -0.1), (3, -0.2)], [2, 3, 1]),
    ],
)
def test_rank(scored: list, expected: list) -> None:
    assert rank(scored) == expected


def test_rank_accepts_an_iterator() -> None:
    assert rank(iter([("a", 0.1), ("b", 0.2)])) == ["b", "a"]  # 0.2 > 0.1


def test_rank_breaks_ties_by_the_key_given_not_by_appearance() -> None:
    scored = [("z", 0.5), ("b", 0.9), ("a", 0.5)]
    assert rank(scored) == ["b", "z", "a"]  # appearance
    assert rank(scored, tiebreak=str) == ["b", "a", "z"]  # "a" < "z"


def test_rank_with_decimals_ties_scores_equal_to_that_place() -> None:
    # 0.3000001 and 0.3 round to 0.3 at 5 places: a tie, so the key decides; 0.30002
    # rounds to 0.30002 and stays ahead
    scored = [("y", 0.3000001), ("x", 0.3), ("w", 0.30002)]
    assert rank(scored, tiebreak=str) == ["w", "y", "x"]  # exact scores: 0.3000001 > 0.3
    assert rank(scored, tiebreak=str, decimals=5) == ["w", "x", "y"]


# ---------------------------------------------------------------------------------------
# reciprocal_rank_fusion


def test_rrf_two_lists_k60() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    # a: rank 1 in list 0, rank 2 in list 1 -> 1/61 + 1/62 = 0.016393 + 0.016129 = 0.032523
    # c: rank 3 in list 0, rank 1 in list 1 -> 1/63 + 1/61 = 0.015873 + 0.016393 = 0.032266
    # b: rank 2 in list 0 only             -> 1/62               = 0.016129
    assert [key for key, _ in fused] == ["a", "c", "b"]
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["a"] == pytest.approx(0.0325225, abs=1e-7)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)


def test_rrf_default_k_is_60() -> None:
    # single list: ranks 1, 2 -> 1/61, 1/62
    assert reciprocal_rank_fusion([["x", "y"]]) == [
        ("x", pytest.approx(1 / 61)),
        ("y", pytest.approx(1 / 62)),
    ]


def test_rrf_id_in_one_list_only() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["a"]], k=60))
    assert fused["b"] == pytest.approx(1 / 62)  # only list 0, rank 2
    assert fused["a"] == pytest.approx(2 / 61)  # rank 1 in both: 1/61 + 1/61


def test_rrf_ties_go_to_first_appearance() -> None:
    # a: 1/61 + 1/62, b: 1/62 + 1/61 -> equal; a was seen first (rank 1 of list 0)
    # c: 1/63 (rank 3 of list 0), d: 1/63 (rank 3 of list 1) -> equal; c's list comes first
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert [key for key, _ in fused] == ["a", "b", "c", "d"]
    scores = dict(fused)
    assert scores["a"] == pytest.approx(scores["b"])
    assert scores["c"] == pytest.approx(scores["d"]) == pytest.approx(1 / 63)


def test_rrf_ties_across_lists_by_rank_then_list() -> None:
    # a, c are both rank 1 (1/61); b, d both rank 2 (1/62); within a tie, list 0 first
    fused = reciprocal_rank_fusion([["a", "b"], ["c", "d"]], k=60)
    assert [key for key, _ in fused] == ["a", "c", "b", "d"]


@pytest.mark.parametrize("rankings", [[], [[]], [[], []]])
def test_rrf_empty(rankings: list[list[str]]) -> None:
    assert reciprocal_rank_fusion(rankings) == []


def test_rrf_k_changes_scores_and_order() -> None:
    # x, w: rank 1 once -> 1/(k+1); y: rank 3 twice -> 2/(k+3); z, v: rank 2 once -> 1/(k+2)
    rankings = [["x", "z", "y"], ["w", "v", "y"]]
    # k=0: x = w = 1/1 = 1, y = 2/3 = 0.667, z = v = 1/2 -> x, w, y, z, v
    small = reciprocal_rank_fusion(rankings, k=0)
    assert [key for key, _ in small] == ["x", "w", "y", "z", "v"]
    assert dict(small) == {
        "x": pytest.approx(1.0),
        "w": pytest.approx(1.0),
        "y": pytest.approx(2 / 3),
        "z": pytest.approx(0.5),
        "v": pytest.approx(0.5),
    }
    # k=60: y = 2/63 = 0.0317 > x = w = 1/61 = 0.0164 > z = v = 1/62 -> y first
    large = reciprocal_rank_fusion(rankings, k=60)
    assert [key for key, _ in large] == ["y", "x", "w", "z", "v"]
    assert dict(large)["y"] == pytest.approx(2 / 63)


# ---------------------------------------------------------------------------------------
# first_groups


@pytest.mark.parametrize(
    ("groups", "limit", "expected"),
    [
        (1, 10, ["a1", "a2"]),  # only paper a, in rank order
        (2, 10, ["a1", "b1", "a2", "b2"]),  # c is the third paper to appear: left out
        (None, 10, ["a1", "b1", "a2", "c1", "b2"]),  # any paper
        (2, 3, ["a1", "b1", "a2"]),  # the limit cuts after three items
    ],
)
def test_first_groups(groups: int | None, limit: int, expected: list[str]) -> None:
    ranked = ["a1", "b1", "a2", "c1", "b2"]
    assert first_groups(ranked, lambda item: item[0], groups, limit) == expected
