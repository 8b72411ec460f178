"""Themes on hand-made arrays: clustering, ordering by a question, naming by TF-IDF."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from synth.report.themes import cluster, order_groups, theme_titles, title_words


def unit(rows: list[list[float]]) -> npt.NDArray[np.float64]:
    m = np.array(rows, dtype=np.float64)
    out: npt.NDArray[np.float64] = m / np.linalg.norm(m, axis=1, keepdims=True)
    return out


# Two tight pairs around the x and y axes, and a loner along z.
VECTORS = unit([[1, 0.1, 0], [0, 1, 0.1], [1, 0, 0.1], [0.1, 1, 0], [0, 0, 1]])


def test_close_rows_group_and_far_ones_stay_apart() -> None:
    assert cluster(VECTORS, max_groups=5) == [[0, 2], [1, 3], [4]]


def test_at_most_max_groups_are_kept() -> None:
    # below the cut-off the closest groups still merge: the x and y pairs, not the loner
    assert cluster(VECTORS, max_groups=2) == [[0, 1, 2, 3], [4]]
    assert cluster(VECTORS, max_groups=1) == [[0, 1, 2, 3, 4]]


def test_a_low_cut_off_merges_everything() -> None:
    assert cluster(VECTORS, max_groups=5, min_similarity=-1.0) == [[0, 1, 2, 3, 4]]


def test_clustering_is_deterministic_and_handles_tiny_inputs() -> None:
    rng = np.random.default_rng(7)
    rows = unit(rng.normal(size=(30, 8)).tolist())
    assert cluster(rows, 4) == cluster(rows.copy(), 4)
    assert len(cluster(rows, 4)) <= 4
    assert cluster(np.zeros((0, 8)), 3) == []
    assert cluster(rows[:1], 3) == [[0]]


def test_ties_go_to_the_lowest_pair() -> None:
    same = unit([[1, 0], [1, 0], [1, 0]])
    assert cluster(same, max_groups=2, min_similarity=2.0) == [[0, 1], [2]]


def test_groups_and_members_are_ordered_by_the_question() -> None:
    groups = cluster(VECTORS, max_groups=5)
    question = unit([[0.2, 1, 0]])[0]  # closest to the y pair, then the x pair
    assert order_groups(VECTORS, groups, question) == [[3, 1], [0, 2], [4]]


def test_equal_relevance_keeps_the_earlier_group_first() -> None:
    question = np.array([0.0, 0.0, 0.0])
    assert order_groups(VECTORS, [[1], [0]], question) == [[1], [0]]


GROUPS = [
    [
        "Peer tutoring raises reading scores in rural schools.",
        "Weekly peer tutoring improves reading fluency.",
        "Tutoring on SQuAD-style reading tasks helps the results.",
    ],
    [
        "A short afternoon nap improves memory in older adults.",
        "Long naps reduce night sleep in older adults.",
    ],
]


def test_titles_are_the_most_distinctive_words() -> None:
    first, second = title_words(GROUPS)
    assert first == ["reading", "tutoring", "peer"]
    assert set(second) <= {"adults", "older", "afternoon", "nap", "naps", "memory", "sleep"}
    assert "improves" not in first + second  # in both themes: not distinctive


def test_stop_words_and_short_words_never_name_a_theme() -> None:
    (words,) = title_words([["We show that the results of this paper are new."]])
    assert words == []


def test_a_word_keeps_the_case_it_is_most_often_written_in() -> None:
    (words,) = title_words([["SQuAD helps.", "SQuAD again helps.", "squad"]], words=1)
    assert words == ["SQuAD"]


def test_theme_titles_are_capitalised_with_a_fallback() -> None:
    titles = theme_titles([*GROUPS, ["We are here."]])
    assert titles[0] == "Reading, tutoring, peer"
    assert titles[2] == "Theme 3"


@pytest.mark.parametrize("words", [1, 2, 3])
def test_title_length(words: int) -> None:
    assert all(len(t) == words for t in title_words(GROUPS, words))
