"""Sentence splitting and passage cutting on hand-made page texts."""

from __future__ import annotations

import pytest
from adversarial import BOUND_S, SHAPES, adversarial, seconds

from synth.core.settings import ChunkSettings
from synth.core.types import Block, BlockKind, PageText, Passage
from synth.corpus.parsing.chunk import chunk_page, split_sentences
from synth.corpus.parsing.structure import sentences_page, structure_pages


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We follow earlier work, e.g. the baseline. It works.",
            ["We follow earlier work, e.g. the baseline.", "It works."],
        ),
        (
            "Big models, i.e. BERT and T5, win. Others lose.",
            ["Big models, i.e. BERT and T5, win.", "Others lose."],
        ),
        (
            "Example et al. (2019) showed this. Then more.",
            ["Example et al. (2019) showed this.", "Then more."],
        ),
        (
            "As Sample et al. 2019 argue, it helps. Next.",
            ["As Sample et al. 2019 argue, it helps.", "Next."],
        ),
        ("See Fig. 2 for the curves. Next one.", ["See Fig. 2 for the curves.", "Next one."]),
        ("Sec. 3 and Eq. 4 show it. Done.", ["Sec. 3 and Eq. 4 show it.", "Done."]),
        ("It gains 5.4 points. Then it drops.", ["It gains 5.4 points.", "Then it drops."]),
        (
            "As shown by J. Phang and A. B. Example. Another.",
            ["As shown by J. Phang and A. B. Example.", "Another."],
        ),
        ("Does it work? Yes! It does.", ["Does it work?", "Yes!", "It does."]),
        ("It helps (see Table 2.) Then stop.", ["It helps (see Table 2.)", "Then stop."]),
        ('He said "it works." Then he left.', ['He said "it works."', "Then he left."]),
        ("It reached 90.1%. 3 runs failed.", ["It reached 90.1%.", "3 runs failed."]),
        ("no capital follows. so one sentence.", ["no capital follows. so one sentence."]),
        ("A sentence without an end", ["A sentence without an end"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_spans_are_trimmed() -> None:
    text = "   First one.    Second one.   \n Third one.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one.", "Third one."]
    assert spans[0][0] == 3
    assert spans[-1][1] == len(text.rstrip())


PAGE_ONE = [
    "Abstract",
    "We study intermediate training. It helps on most tasks. It gains 5.4 points on",
    "average, e.g. on the small tasks. The gain varies between runs. Fig. 2 shows it.",
    "",
    "1 Introduction",
    "Transfer is popular. We look at it again here! Does it always help? Not always.",
    "",
    "References",
    "[1] Ada Example. 2019. A made-up paper. It has sentences. Many of them.",
]
PAGE_TWO = [
    "A Appendix Details",
    "The appendix has one paragraph. It has two sentences.",
]


@pytest.fixture
def pages() -> list[PageText]:
    return structure_pages([PAGE_ONE, PAGE_TWO])


def _chunk(pages: list[PageText], settings: ChunkSettings) -> list[Passage]:
    return [p for page in pages for p in chunk_page(page, "paper-1", settings)]


@pytest.mark.parametrize("max_sentences", [1, 2, 3, 5])
def test_passages_respect_the_settings_and_the_page_text(
    pages: list[PageText], max_sentences: int
) -> None:
    settings = ChunkSettings(max_sentences=max_sentences, max_chars=600)
    passages = _chunk(pages, settings)
    assert passages
    texts = {page.number: page for page in pages}
    for passage in passages:
        page = texts[passage.page_start]
        assert passage.page_end == passage.page_start
        assert passage.paper_id == "paper-1"
        assert page.text[passage.char_start : passage.char_end] == passage.text
        assert len(split_sentences(passage.text)) <= max_sentences
        assert passage.text in passage.context
        inside = [
            b for b in page.blocks if b.start <= passage.char_start and passage.char_end <= b.end
        ]
        assert len(inside) == 1  # within one paragraph
        assert inside[0].kind is BlockKind.BODY
        assert passage.section == inside[0].section


def test_every_body_sentence_is_in_exactly_one_passage(pages: list[PageText]) -> None:
    passages = _chunk(pages, ChunkSettings(max_sentences=2))
    for page in pages:
        expected = [
            page.text[b.start + s : b.start + e]
            for b in page.blocks
            if b.kind is BlockKind.BODY
            for s, e in split_sentences(page.text[b.start : b.end])
        ]
        got = [s for p in passages if p.page_start == page.number for s in _sentences(p.text)]
        assert got == expected


def test_passages_by_page_and_section(pages: list[PageText]) -> None:
    passages = _chunk(pages, ChunkSettings(max_sentences=3))
    assert [(p.page_start, p.section, p.text) for p in passages] == [
        (1, "Abstract", "We study intermediate training. It helps on most tasks. It gains 5.4 "
         "points on average, e.g. on the small tasks."),
        (1, "Abstract", "The gain varies between runs. Fig. 2 shows it."),
        (1, "1 Introduction",
         "Transfer is popular. We look at it again here! Does it always help?"),
        (1, "1 Introduction", "Not always."),
        (2, "A Appendix Details", "The appendix has one paragraph. It has two sentences."),
    ]  # fmt: skip


def test_headings_and_references_give_no_passages(pages: list[PageText]) -> None:
    passages = _chunk(pages, ChunkSettings(max_sentences=1))
    assert not any("Ada Example" in p.text or "sentences. Many" in p.text for p in passages)
    assert not any(p.text in {"Abstract", "1 Introduction", "References"} for p in passages)
    only_references = structure_pages([["References", "[1] A made-up entry. It is here."]])
    assert chunk_page(only_references[0], "p", ChunkSettings()) == []


def test_max_chars_starts_a_new_passage() -> None:
    sentences = [f"Sentence number {word} is about this long." for word in "abcdef"]
    page = sentences_page(sentences)
    passages = chunk_page(page, "p", ChunkSettings(max_sentences=10, max_chars=100))
    assert all(len(p.text) <= 100 for p in passages)
    assert len(passages) == 3
    assert " ".join(p.text for p in passages) == page.text


RUN_ON = " ".join(f"cell{i}" for i in range(400)) + "."


@pytest.mark.parametrize(
    "page",
    [
        sentences_page(["A short opening sentence.", RUN_ON]),
        structure_pages([["A short opening sentence. " + RUN_ON]])[0],
    ],
    ids=["given-sentences", "split-sentences"],
)
def test_run_on_sentence_is_cut_below_twice_max_chars(page: PageText) -> None:
    settings = ChunkSettings(max_sentences=3, max_chars=60)
    passages = chunk_page(page, "p", settings)
    assert len(passages) > 10
    for passage in passages:
        assert len(passage.text) <= 2 * settings.max_chars
        assert page.text[passage.char_start : passage.char_end] == passage.text
    assert passages[-1].text.endswith("cell399.")
    words = " ".join(p.text for p in passages).split()
    assert words == page.text.split()  # nothing lost, nothing doubled


def test_given_sentence_spans_are_used() -> None:
    page = sentences_page(["One part. Another part in the same sentence", "Next."])
    passages = chunk_page(page, "p", ChunkSettings(max_sentences=1))
    assert [p.text for p in passages] == ["One part. Another part in the same sentence", "Next."]


def test_context_is_bounded_by_the_paragraph() -> None:
    lines = [
        "First paragraph sentence one. First paragraph sentence two.",
        "",
        "Second paragraph sentence one. Second paragraph sentence two.",
    ]
    (page,) = structure_pages([lines])
    passages = chunk_page(page, "p", ChunkSettings(max_sentences=1, context_chars=1000))
    assert [p.context for p in passages] == [lines[0], lines[0], lines[2], lines[2]]
    narrow = chunk_page(page, "p", ChunkSettings(max_sentences=1, context_chars=0))
    assert all(p.context == p.text for p in narrow)


def test_ids_are_stable_and_distinct(pages: list[PageText]) -> None:
    first = _chunk(pages, ChunkSettings())
    again = _chunk(structure_pages([PAGE_ONE, PAGE_TWO]), ChunkSettings())
    assert [p.id for p in first] == [p.id for p in again]
    assert all(p.id.startswith("s_") for p in first)
    assert len({p.id for p in first}) == len(first)
    other = [p.id for page in pages for p in chunk_page(page, "paper-2", ChunkSettings())]
    assert set(other).isdisjoint(p.id for p in first)


def test_no_at_a_sentence_end_splits() -> None:
    text = "The answer is no. We then stop."
    assert [text[s:e] for s, e in split_sentences(text)] == ["The answer is no.", "We then stop."]


def _table_page() -> PageText:
    cells = [f"Table 2, Ours, Task {n} (F1): {n}0.5." for n in range(1, 7)]
    body = "The results are in Table 2."
    spans, at = [], len(body) + 2
    for c in cells:
        spans.append((at, at + len(c)))
        at += len(c) + 1
    text = body + "\n\n" + " ".join(cells)
    blocks = (
        Block(0, len(body), "3 Results"),
        Block(len(body) + 2, len(text), "Table 2", BlockKind.TABLE, tuple(spans)),
    )
    return PageText(4, text, blocks)


def test_table_rows_give_passages_of_whole_cells() -> None:
    page = _table_page()
    passages = chunk_page(page, "p", ChunkSettings(max_sentences=2, context_chars=80))
    assert [(p.section, p.text) for p in passages] == [
        ("3 Results", "The results are in Table 2."),
        ("Table 2", "Table 2, Ours, Task 1 (F1): 10.5. Table 2, Ours, Task 2 (F1): 20.5."),
        ("Table 2", "Table 2, Ours, Task 3 (F1): 30.5. Table 2, Ours, Task 4 (F1): 40.5."),
        ("Table 2", "Table 2, Ours, Task 5 (F1): 50.5. Table 2, Ours, Task 6 (F1): 60.5."),
    ]
    row = page.text[page.blocks[1].start :]
    for p in passages[1:]:
        assert page.text[p.char_start : p.char_end] == p.text
        assert p.text in p.context and p.context in row
        assert p.context.startswith("Table 2, Ours") and p.context.endswith(".")  # no cut cell


@pytest.mark.parametrize("shape", SHAPES)
def test_sentence_splitting_takes_linear_time_on_1_mb_adversarial_text(shape: str) -> None:
    """Before, every boundary after an abbreviation searched back to the sentence start and
    every kept one copied the text before it: quadratic in the number of sentences."""
    assert seconds(split_sentences, adversarial(shape)) < BOUND_S
