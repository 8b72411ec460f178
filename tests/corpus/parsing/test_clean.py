"""Line cleaning: ligatures, odd characters, running headers and footers, hyphenation."""

from __future__ import annotations

import pytest

from synth.corpus.parsing.clean import (
    hyphenated_words,
    join_lines,
    normalise_line,
    strip_running_lines,
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


def _pages(count: int) -> list[list[str]]:
    """Pages with a running header (page number inside it) and a page number footer; the
    body lines differ from page to page."""
    pages = []
    for n in range(1, count + 1):
        pages.append(
            [
                f"Example and Sample. Intermediate Training {n}",
                f"Page {n} opens with its own body text about topic {'abcdefgh'[n - 1]}.",
                f"The middle of page {n} says something else, {'x' * n}.",
                f"{n + 2} target tasks were used for the runs in part {'abcdefgh'[n - 1]}.",
                str(n),
            ]
        )
    return pages


def test_running_header_with_changing_number_is_removed() -> None:
    cleaned = strip_running_lines(_pages(4))
    for n, lines in enumerate(cleaned, start=1):
        assert not any(line.startswith("Example and Sample") for line in lines)
        assert str(n) not in lines  # the page number footer
        assert lines[0].startswith(f"Page {n} opens")
        assert len(lines) == 3


def test_body_line_starting_with_a_number_is_kept() -> None:
    cleaned = strip_running_lines(_pages(4))
    for n, lines in enumerate(cleaned, start=1):
        assert lines[-1] == f"{n + 2} target tasks were used for the runs in part {'abcd'[n - 1]}."


@pytest.mark.parametrize("number", ["3", "Page 3 of 9", "page 3", "3 / 9", "iv", "XII"])
@pytest.mark.parametrize("where", ["top", "bottom"])
def test_page_numbers_are_removed_at_the_edges(number: str, where: str) -> None:
    body = [
        "A first line of ordinary body text.",
        "A second line of ordinary body text.",
        "A third line of ordinary body text.",
    ]
    page = [number, *body] if where == "top" else [*body, number]
    assert strip_running_lines([page]) == [body]


@pytest.mark.parametrize("number", ["3", "Page 3 of 9", "iv"])
def test_page_numbers_in_the_middle_of_a_page_are_kept(number: str) -> None:
    page = [
        "First line of body.",
        "Second line of body.",
        number,
        "Third line of body.",
        "Fourth line of body.",
    ]
    assert strip_running_lines([page]) == [page]


def test_edges_skip_blank_lines() -> None:
    page = ["", "", "12", "Body text one.", "Body text two.", "Body text three.", "", ""]
    assert strip_running_lines([page]) == [
        ["", "", "Body text one.", "Body text two.", "Body text three.", "", ""]
    ]


def test_arxiv_margin_stamp_is_removed_anywhere() -> None:
    stamp = "arXiv:2005.13013v2 [cs.CL] 30 Sep 2020"
    page = ["Body line one.", "Body line two.", stamp, "Body line three.", "Body line four."]
    assert strip_running_lines([page]) == [[line for line in page if line != stamp]]


def test_long_sentence_at_the_edge_is_never_a_running_line() -> None:
    prose = "This long line of prose ends a sentence and sits at the very top of the page."
    assert len(prose) >= 60
    pages = [
        [prose, f"Body text of part {'abcd'[n - 1]}.", f"More text {'y' * n}."] for n in range(1, 5)
    ]
    assert strip_running_lines(pages) == pages


def test_repeated_line_on_a_single_page_document_is_kept() -> None:
    page = ["Example Header", "Body one.", "Body two.", "Body three."]
    assert strip_running_lines([page]) == [page]


def test_header_on_fewer_than_half_of_the_pages_is_kept() -> None:
    pages = [
        [f"Unique top {'z' * n}", f"Body {'abcdef'[n - 1]}.", f"End {'w' * n}."]
        for n in range(1, 7)
    ]
    pages[0][0] = pages[1][0] = "Special Header"
    assert strip_running_lines(pages) == pages


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


def test_only_real_roman_numerals_count_as_page_numbers() -> None:
    pages = [["iv", "Body one.", "Body two.", "civil"], ["Body three.", "xii"]]
    assert strip_running_lines(pages) == [["Body one.", "Body two.", "civil"], ["Body three."]]
