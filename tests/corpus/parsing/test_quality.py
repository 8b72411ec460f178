"""Parse-quality figures on hand-made pages and passages."""

from __future__ import annotations

import pytest

from synth.core.types import Passage
from synth.corpus.parsing.quality import (
    Expected,
    has_section,
    looks_like_reference,
    measure,
    numeric_heading,
    passage_coverage,
    prose_lines,
    references_heading,
    section_name,
    sections,
    sentence_in_passage,
    squash,
    title_matches,
    word_recall,
    words,
)

PAGE_ONE = (
    "A Title\n\nAbstract\n\nWe study transfer. It helps.\n\n1 Introduction\n\nTransfer is old."
)
PAGE_TWO = "References\n\nAda Example. 2020. A paper. In Proceedings of Tests, pages 1-9."
PAGES = [(1, PAGE_ONE), (2, PAGE_TWO)]


def passage(page: int, text: str, section: str) -> Passage:
    source = dict(PAGES)[page]
    start = source.index(text)
    return Passage(
        paper_id="p", page_start=page, page_end=page, section=section,
        char_start=start, char_end=start + len(text), text=text,
    )  # fmt: skip


PASSAGES = [
    passage(1, "We study transfer. It helps.", "Abstract"),
    passage(1, "Transfer is old.", "1 Introduction"),
]


def test_squash_ignores_case_spacing_hyphens_and_ligatures() -> None:
    assert squash("Pre-\ntrained  ﬁne-tuning!") == "pretrainedfinetuning"
    assert words("Pre-trained, 3 ﬁne") == ["pre", "trained", "3", "fine"]


@pytest.mark.parametrize(
    ("section", "name"),
    [("3.1 Setup", "setup"), ("A Details", "details"), ("Abstract", "abstract"),
     ("2. Related Work", "relatedwork"), ("IV. Method", "method")],
)  # fmt: skip
def test_section_name(section: str, name: str) -> None:
    assert section_name(section) == name


def test_sections_in_order_once() -> None:
    extra = passage(1, "It helps.", "Abstract")
    assert sections([PASSAGES[0], PASSAGES[1], extra]) == ["Abstract", "1 Introduction"]


@pytest.mark.parametrize(
    ("section", "numeric"),
    [("langs. 15 7 33 40 11", True), ("XLM-R 80.1", True), ("3.2 Results", False),
     ("4 Experiments with 2 models", False)],
)  # fmt: skip
def test_numeric_heading(section: str, numeric: bool) -> None:
    assert numeric_heading(section) is numeric


def test_title_matches_loosely_but_not_a_part() -> None:
    assert title_matches(
        "mT5: A massively multilingual pre-trained text-to-text transformer",
        "mT5: a massively multilingual pretrained text-to-text Transformer",
    )
    assert not title_matches(
        "mT5: A massively multilingual pre-trained",
        "mT5: A massively multilingual pre-trained text-to-text transformer",
    )
    assert not title_matches("", "")  # fmt: skip


def test_sections_found_and_references_heading() -> None:
    assert has_section(PASSAGES, {"abstract"})
    assert not has_section(PASSAGES[1:], {"abstract"})
    assert references_heading([PAGE_ONE, PAGE_TWO])
    assert references_heading(["7 References\n\nAn entry."])
    assert not references_heading([PAGE_ONE, "We list references in the appendix."])


def test_reference_entries_are_recognised() -> None:
    assert looks_like_reference("Ada Example. 2020. A paper. In Proceedings of Tests.")
    assert looks_like_reference("B. Writer. Models. arXiv preprint arXiv:2001.00001, 2020.")
    assert not looks_like_reference("In 2020 we ran the models again.")
    assert not looks_like_reference("See the proceedings.")


def test_sentence_in_one_passage_and_its_section() -> None:
    assert sentence_in_passage("we study  TRANSFER.", PASSAGES, {"abstract"})
    assert not sentence_in_passage("We study transfer.", PASSAGES, {"introduction"})
    assert sentence_in_passage("Transfer is old.", PASSAGES)
    assert not sentence_in_passage("It helps. Transfer is old.", PASSAGES)  # across two
    assert not sentence_in_passage("", PASSAGES)


def test_passage_coverage_counts_letters_and_digits_inside_passages() -> None:
    covered = sum(c.isalnum() for p in PASSAGES for c in p.text)
    total = sum(c.isalnum() for _, text in PAGES for c in text)
    assert passage_coverage(PAGES, PASSAGES) == pytest.approx(covered / total)
    assert passage_coverage([], []) == 0.0
    assert passage_coverage([(1, "Only text.")], [passage(1, "Transfer is old.", "x")]) == 0.0


def test_word_recall_counts_each_occurrence() -> None:
    assert word_recall(["a b a c"], ["a c b"]) == 0.75
    assert word_recall(["a b", "c"], ["c b a"]) == 1.0
    assert word_recall([""], ["x"]) == 1.0


def test_prose_lines_leave_out_tables_and_labels() -> None:
    raw = "Model XNLI PAWS NER\nBERT 80.1 86.5 62.8\nThis is a line of prose text here.\nAcc"
    assert prose_lines(raw) == ["This is a line of prose text here."]


def test_measure_puts_the_figures_together() -> None:
    expected = Expected(
        "A Title", "We study transfer.", "Transfer is old.", ("It helps.", "Not in the paper.")
    )
    raw = [PAGE_ONE + "\n3", PAGE_TWO]
    q = measure("A  title", PAGES, PASSAGES, raw, expected)
    assert (q.pages, q.passages, q.per_page, q.sections) == (
        2,
        2,
        1.0,
        ("Abstract", "1 Introduction"),
    )
    assert (q.title_ok, q.abstract, q.abstract_ok, q.introduction_ok) == (True, True, True, True)
    assert (q.probes_found, q.probes, q.references, q.reference_leaks) == (1, 2, True, 0)
    assert q.numeric_headings == 0 and 0 < q.coverage < 1 and 0.9 < q.recall < 1
    bare = measure("Other", PAGES, [], raw)
    assert (bare.title_ok, bare.abstract_ok, bare.probes, bare.per_page) == (None, None, 0, 0.0)
    assert not bare.abstract and bare.coverage == 0.0
