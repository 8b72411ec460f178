"""Line cleaning: ligatures, odd characters, margin furniture, hyphenation."""

from __future__ import annotations

import pytest
from adversarial import BOUND_S, SHAPES, adversarial, seconds

from synth.corpus.parsing.clean import (
    hyphenated_words,
    join_lines,
    line_key,
    margin_junk,
    normalise_line,
    venue_line,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("the ﬁrst result", "the first result"),
        ("a ﬂat ﬁeld", "a flat field"),
        ("eﬀect and diﬀerent", "effect and different"),
        ("an eﬃcient oﬃce", "an efficient office"),
        ("a baﬄing ﬁnding", "a baffling finding"),
        ("trans\u00adfer learn\u00ading", "transfer learning"),
        ("non\u2010linear and pre\u2011trained", "non-linear and pre-trained"),
        ("5\u00a0points", "5 points"),
        ("zero\u200bwidth", "zerowidth"),
        ("  spaced \t out   words ", "spaced out words"),
        ("", ""),
    ],
)
def test_normalise_line(raw: str, clean: str) -> None:
    assert normalise_line(raw) == clean


@pytest.mark.parametrize("number", ["3", "Page 3 of 9", "page 3", "3 / 9", "iv", "XII"])
def test_page_numbers_are_margin_junk(number: str) -> None:
    assert margin_junk(number)


@pytest.mark.parametrize(
    "line",
    [
        "arXiv:2005.13013v2 [cs.CL] 30 Sep 2020",
        "Proceedings of the 58th Annual Meeting of the Association for Computational "
        "Linguistics, pages 7881-7892",
        "Findings of the Association for Computational Linguistics: EMNLP 2020, pages 1-10",
        "Published as a conference paper at ICLR 2021",
        "Preprint. Under review.",
        "© 2020 Association for Computational Linguistics",
        "Copyright 2023 held by the owner/author(s).",
        "ACM ISBN 978-1-4503-9421-5/23/04...$15.00",
        "https://doi.org/10.1145/3544548.3580847",
        "34th Conference on Neural Information Processing Systems (NeurIPS 2020)",
    ],
)
def test_venue_stamp_and_copyright_lines_are_margin_junk(line: str) -> None:
    assert margin_junk(line)


@pytest.mark.parametrize(
    "line",
    [
        "civil",  # letters of a roman numeral, not one
        "3 target tasks were used for the runs.",
        "In Proceedings of the 57th Annual Meeting of the Association for Computational",
        "Phang et al. Intermediate Training",
        "",
    ],
)
def test_content_is_not_margin_junk(line: str) -> None:
    assert not margin_junk(line)


def test_venue_line_is_the_venue_part_of_margin_junk() -> None:
    assert venue_line("Proceedings of the 1st Workshop on Tests, pages 1-9")
    assert not venue_line("3")
    assert not venue_line("We report proceedings of the meeting.")


def test_line_key_ignores_case_and_numbers() -> None:
    assert line_key("Phang et al. 3") == line_key("phang ET AL. 12") == "phang et al. #"


def test_hyphenated_words_collects_compounds_and_pairs() -> None:
    found = hyphenated_words(
        ["we use intermediate-task training", "the State-of-the-Art model", "no compound here"]
    )
    assert found == {
        "intermediate-task",
        "state-of-the-art",
        "state-of",
        "of-the",
        "the-art",
    }


def test_hyphenated_words_ignores_numbers_and_dashes() -> None:
    assert hyphenated_words(["pages 3-5", "a - b", "x-"]) == set()


@pytest.mark.parametrize(
    ("lines", "compounds", "joined"),
    [
        (["We study trans-", "fer learning."], set(), "We study transfer learning."),
        (
            ["the intermediate-", "task training"],
            {"intermediate-task"},
            "the intermediate-task training",
        ),
        (["the intermediate-", "task training"], set(), "the intermediatetask training"),
        (
            ["a state-of-the-", "art model"],
            {"state-of-the-art", "the-art"},
            "a state-of-the-art model",
        ),
        (["a state-of-", "the-art model"], {"of-the"}, "a state-of-the-art model"),
        (["Intermediate-", "task"], {"intermediate-task"}, "Intermediate-task"),
        (["plain", "words", "here"], set(), "plain words here"),
        (["ends with a dash -", "next"], set(), "ends with a dash - next"),
        (["only one line"], set(), "only one line"),
        ([], set(), ""),
    ],
)
def test_join_lines(lines: list[str], compounds: set[str], joined: str) -> None:
    assert join_lines(lines, compounds) == joined


def test_join_lines_with_compounds_found_in_the_document() -> None:
    document = [
        "Intermediate-task training is a state-of-the-art method.",
        "We describe intermediate-",
        "task transfer and trans-",
        "fer learning, a state-of-the-",
        "art approach.",
    ]
    compounds = hyphenated_words(document)
    assert join_lines(document[1:], compounds) == (
        "We describe intermediate-task transfer and transfer learning, a state-of-the-art approach."
    )


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["a state-of-the-", "art model"], "a state-of-the-art model"),
        (["see Self-", "Attention now"], "see Self-Attention now"),
        (["pages 3-", "5 show it"], "pages 3-5 show it"),
        (["GPT-", "style models"], "GPT-style models"),
        (["we trans-", "fer it"], "we transfer it"),
    ],
)
def test_compound_hyphens_survive_line_breaks(lines: list[str], joined: str) -> None:
    assert join_lines(lines, set()) == joined


def _clean_everything(text: str) -> None:
    lines = [text[i : i + 60] for i in range(0, len(text), 60)]
    found = hyphenated_words([text, *lines])
    join_lines([text, text], found)
    join_lines(lines, found)
    margin_junk(text)
    line_key(text)
    normalise_line(text)


@pytest.mark.parametrize("shape", SHAPES)
def test_cleaning_takes_linear_time_on_1_mb_adversarial_text(shape: str) -> None:
    """Before, hyphenated_words backtracked on a run of letters: 40,000 "a"s took 20 s."""
    assert seconds(_clean_everything, adversarial(shape)) < BOUND_S


def test_a_hyphen_after_a_run_longer_than_a_word_is_not_mended() -> None:
    assert join_lines(["x" * 150 + "-", "fer"], set()) == "x" * 150 + "- fer"
    assert join_lines(["a-", "b-", "c"], set()) == "abc"
