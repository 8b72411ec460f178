"""Headings, paragraphs with exact offsets, sections across pages, the references section."""

from __future__ import annotations

import pytest
from adversarial import BOUND_S, SHAPES, adversarial, seconds

from synth.corpus.parsing.structure import (
    ABSTRACT,
    FRONT_MATTER,
    PARAGRAPH_SEP,
    BlockKind,
    LineKind,
    PageText,
    TextLine,
    heading,
    is_references,
    number_token,
    numeric_line,
    sentences_page,
    structure_pages,
)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("3.1 Experimental Setup", "3.1 Experimental Setup"),
        ("1 Introduction", "1 Introduction"),
        ("2. Related Work", "2. Related Work"),
        ("IV. Method", "IV. Method"),
        ("Abstract", "Abstract"),
        ("ABSTRACT", "ABSTRACT"),
        ("References", "References"),
        ("Bibliography", "Bibliography"),
        ("Results:", "Results"),
        ("  Conclusion  ", "Conclusion"),
        ("5 Conclusions", "5 Conclusions"),
        ("## Results", "Results"),
        ("# Introduction #", "Introduction"),
        ("### A Heading Of Any Kind", "A Heading Of Any Kind"),
    ],
)
def test_headings(line: str, name: str) -> None:
    assert heading(line, in_references=False) == name


@pytest.mark.parametrize(
    "line",
    [
        "We train the model on eight tasks and report the mean over five runs in Table 2.",
        "The model improves on every task that we tried.",
        "3 tasks were used in total.",
        "Abstract ideas are hard to test",
        "1 Introduction and a very long run of further words that goes on past twelve words",
        "",
    ],
)
def test_not_headings(line: str) -> None:
    assert heading(line, in_references=False) is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("[3] Ada Example and Bea Sample. 2019. A made-up title. In Proc. of X.", None),
        ("12 Ada Example and Bea Sample", None),
        ("3.1 Experimental Setup", None),
        ("Introduction", None),
        ("References", None),
        ("A Additional Experiments", "A Additional Experiments"),
        ("B.2 More Results", "B.2 More Results"),
        ("Appendix", "Appendix"),
        ("Appendix C: Hyperparameters", "Appendix C: Hyperparameters"),
        ("Supplementary Material", "Supplementary Material"),
    ],
)
def test_inside_references_only_appendix_headings_count(line: str, name: str | None) -> None:
    assert heading(line, in_references=True) == name


@pytest.mark.parametrize(
    ("section", "expected"),
    [("References", True), ("7 References", True), ("Bibliography", True),
     ("Works Cited", True), ("2 Related Work", False), ("Appendix", False)],
)  # fmt: skip
def test_is_references(section: str, expected: bool) -> None:
    assert is_references(section) is expected


PAGE_ONE = [
    "A Made-Up Study of Intermediate Training",
    "",
    "Abstract",
    "We study how intermediate training on another task helps a target task and find",
    "that it usually helps by a few points on average.",
    "",
    "1 Introduction",
    "Transfer learning is a popular approach for language understanding and it has",
    "been studied a lot in recent years by many groups around the world, so we",
    "look at it again here with trans-",
    "fer across eight target tasks.",
    "A second paragraph starts after that short line and it goes on for a while.",
]
PAGE_TWO = [
    "This line continues the introduction on the next page and then it stops.",
    "",
    "2 Results",
    "The intermediate-task model is better than the baseline on six of the eight",
    "tasks, and the intermediate-",
    "task gain is largest on the smallest data sets that we used.",
    "",
    "References",
    "[1] Ada Example and Bea Sample. 2019. A made-up paper about transfer.",
    "2 Cara Person and Dan Writer. 2020. Another made-up paper.",
]
PAGE_THREE = [
    "[3] Eve Author. 2021. A third made-up reference on this page.",
    "",
    "A Additional Experiments",
    "We ran more experiments, and they are described in this appendix.",
]


@pytest.fixture
def pages() -> list[PageText]:
    return structure_pages([PAGE_ONE, PAGE_TWO, PAGE_THREE])


def _blocks(page: PageText) -> list[tuple[BlockKind, str, str]]:
    return [(b.kind, b.section, page.text[b.start : b.end]) for b in page.blocks]


def test_pages_are_numbered_from_one(pages: list[PageText]) -> None:
    assert [p.number for p in pages] == [1, 2, 3]


def test_block_offsets_point_at_the_paragraph_text(pages: list[PageText]) -> None:
    for page in pages:
        pieces = [page.text[b.start : b.end] for b in page.blocks]
        assert PARAGRAPH_SEP.join(pieces) == page.text
        for block in page.blocks:
            assert block.start < block.end
            assert PARAGRAPH_SEP not in page.text[block.start : block.end]


def test_first_page_paragraphs_and_sections(pages: list[PageText]) -> None:
    assert _blocks(pages[0]) == [
        (BlockKind.BODY, FRONT_MATTER, "A Made-Up Study of Intermediate Training"),
        (BlockKind.HEADING, "Abstract", "Abstract"),
        (BlockKind.BODY, "Abstract", " ".join(PAGE_ONE[3:5])),
        (BlockKind.HEADING, "1 Introduction", "1 Introduction"),
        (
            BlockKind.BODY,
            "1 Introduction",
            " ".join(PAGE_ONE[7:9]) + " look at it again here with transfer across eight "
            "target tasks.",
        ),
        (BlockKind.BODY, "1 Introduction", PAGE_ONE[11]),
    ]


def test_sections_carry_over_pages_and_references_are_marked(pages: list[PageText]) -> None:
    assert _blocks(pages[1]) == [
        (BlockKind.BODY, "1 Introduction", PAGE_TWO[0]),
        (BlockKind.HEADING, "2 Results", "2 Results"),
        (
            BlockKind.BODY,
            "2 Results",
            " ".join(PAGE_TWO[3:5]) + PAGE_TWO[5],
        ),
        (BlockKind.HEADING, "References", "References"),
        (BlockKind.REFERENCES, "References", " ".join(PAGE_TWO[8:10])),
    ]
    assert "the intermediate-task gain" in pages[1].text  # hyphen kept: written so elsewhere


def test_appendix_after_references_returns_to_body(pages: list[PageText]) -> None:
    assert _blocks(pages[2]) == [
        (BlockKind.REFERENCES, "References", PAGE_THREE[0]),
        (BlockKind.HEADING, "A Additional Experiments", "A Additional Experiments"),
        (BlockKind.BODY, "A Additional Experiments", PAGE_THREE[3]),
    ]


def test_first_section_can_be_given() -> None:
    (page,) = structure_pages([["Just one line of text."]], first_section="Notes")
    assert _blocks(page) == [(BlockKind.BODY, "Notes", "Just one line of text.")]


def test_blank_and_empty_pages() -> None:
    result = structure_pages([[], ["", ""], ["Some text."]])
    assert [(p.number, p.text, p.blocks) for p in result[:2]] == [(1, "", ()), (2, "", ())]
    assert result[2].text == "Some text."


def test_short_line_ending_a_sentence_ends_the_paragraph() -> None:
    lines = [
        "This is a long line of body text that is typical for the page we made up.",
        "It ends here.",
        "Then another long line of body text starts a new paragraph on this page.",
    ]
    (page,) = structure_pages([lines])
    assert [page.text[b.start : b.end] for b in page.blocks] == [
        " ".join(lines[:2]),
        lines[2],
    ]


def test_sentences_page() -> None:
    sentences = ["First sentence, e.g. this one.", "Second one?", "Third."]
    page = sentences_page(sentences)
    assert page.number == 1
    assert page.text == " ".join(sentences)
    (block,) = page.blocks
    assert (block.start, block.end, block.section, block.kind) == (
        0,
        len(page.text),
        ABSTRACT,
        BlockKind.BODY,
    )
    assert block.sentences is not None
    assert [page.text[s:e] for s, e in block.sentences] == sentences


def test_sentences_page_section_and_empty_input() -> None:
    assert sentences_page(["Only one."], section="Summary").blocks[0].section == "Summary"
    empty = sentences_page([])
    assert (empty.text, empty.blocks) == ("", ())


def test_reference_entry_starting_with_an_initial_stays_in_the_references() -> None:
    lines = [
        "References",
        "[1] Colin Raffel, Noam Shazeer, Adam Roberts, Katherine Lee, and",
        "C. Raffel and Noam Shazeer 2020 Exploring the limits of transfer",
        "C Raffel and N Shazeer 2020 Exploring the limits",
        "[2] Another entry. 2019.",
    ]
    (page,) = structure_pages([lines])
    kinds = [b.kind for b in page.blocks]
    assert kinds[0] is BlockKind.HEADING
    assert set(kinds[1:]) == {BlockKind.REFERENCES}


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("3 mC4", "3 mC4"),  # a lower-case name after the number
        ("C. Implementation Details", "C. Implementation Details"),
        ("CCS CONCEPTS", "CCS CONCEPTS"),
        ("KEYWORDS", "KEYWORDS"),
        ("XLM-R", None),  # a table's row label in bold
        ("langs. 15 7 33 40 11", None),
        ("2 3 4", None),
        ("Adam Roberts, Google", None),
    ],
)
def test_headings_set_apart_by_the_layout(line: str, name: str | None) -> None:
    assert heading(line, in_references=False, set_apart=True) == name


def test_plain_text_rules_do_not_take_lower_case_or_caps_lines() -> None:
    assert heading("3 mC4", in_references=False) is None
    assert heading("KEYWORDS", in_references=False) is None


@pytest.mark.parametrize(
    ("line", "numeric"),
    [
        ("langs. 15 7 33 40 11", True),
        ("XLM-R 80.1 75.7", True),
        ("3.2 Results", False),
        ("We train 3 models on 2 tasks.", False),
        ("", False),
    ],
)
def test_numeric_line(line: str, numeric: bool) -> None:
    assert numeric_line(line) is numeric


def test_layout_kinds_make_paragraphs() -> None:
    lines = [
        TextLine("3 Results", LineKind.HEADING),
        TextLine("The first paragraph runs over two lines of the column", LineKind.BODY),
        TextLine("and goes on here", LineKind.BODY),
        TextLine("A new paragraph opens with an indent and it goes on", LineKind.BODY, True),
        TextLine("for a while.", LineKind.BODY),
        TextLine("Table 1: A caption in its own paragraph.", LineKind.FLOAT, True),
        TextLine("1 A footnote in its own paragraph.", LineKind.FLOAT, True),
        TextLine("XLM-R", LineKind.BODY),  # a body line is never a heading unless named
    ]
    (page,) = structure_pages([lines])
    assert _blocks(page) == [
        (BlockKind.HEADING, "3 Results", "3 Results"),
        (BlockKind.BODY, "3 Results", f"{lines[1].text} {lines[2].text}"),
        (BlockKind.BODY, "3 Results", f"{lines[3].text} {lines[4].text}"),
        (BlockKind.BODY, "3 Results", lines[5].text),
        (BlockKind.BODY, "3 Results", lines[6].text),
        (BlockKind.BODY, "3 Results", "XLM-R"),
    ]


def test_a_heading_kind_that_does_not_read_as_one_is_text() -> None:
    (page,) = structure_pages([[TextLine("Ada Example and Bea Sample", LineKind.HEADING)]])
    assert _blocks(page) == [(BlockKind.BODY, FRONT_MATTER, "Ada Example and Bea Sample")]


def test_a_named_body_line_is_a_heading() -> None:
    lines = [TextLine("References", LineKind.BODY), TextLine("[1] An entry.", LineKind.BODY)]
    (page,) = structure_pages([lines])
    assert [b.kind for b in page.blocks] == [BlockKind.HEADING, BlockKind.REFERENCES]


def test_a_long_front_matter_paragraph_on_page_one_is_the_abstract() -> None:
    abstract = " ".join(f"Sentence {n} of an abstract without a heading." for n in range(10))
    lines = [
        TextLine("A Title", LineKind.BODY),
        TextLine("Ada Example, Example University", LineKind.BODY, True),
        TextLine(abstract, LineKind.BODY, True),
        TextLine("1 INTRODUCTION", LineKind.HEADING),
        TextLine("The introduction.", LineKind.BODY),
    ]
    page, second = structure_pages([lines, [TextLine(abstract, LineKind.BODY)]])
    assert [b.section for b in page.blocks] == [
        FRONT_MATTER, FRONT_MATTER, ABSTRACT, "1 INTRODUCTION", "1 INTRODUCTION"
    ]  # fmt: skip
    assert second.blocks[0].section == "1 INTRODUCTION"
    (plain,) = structure_pages([[abstract]])  # plain text keeps its first section
    assert plain.blocks[0].section == FRONT_MATTER


def _structure_everything(text: str) -> None:
    heading(text, in_references=False)
    heading("# a" + text, in_references=False)
    heading(text, in_references=True, set_apart=True)
    number_token(text)
    structure_pages([[text], text.split(" ")[:50_000]])


@pytest.mark.parametrize("shape", SHAPES)
def test_structure_takes_linear_time_on_1_mb_adversarial_text(shape: str) -> None:
    """Before, a Markdown heading followed by a long run of spaces, and a long run of
    digits read as a number token, took quadratic time."""
    assert seconds(_structure_everything, adversarial(shape)) < BOUND_S


@pytest.mark.parametrize(
    ("line", "name"), [("# C#", "C"), ("# ###", "#"), ("# a # #", "a #"), ("#   ", None)]
)
def test_markdown_heading_edges(line: str, name: str | None) -> None:
    assert heading(line, in_references=False) == name
