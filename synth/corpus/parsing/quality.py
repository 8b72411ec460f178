"""Parse-quality figures for one parsed paper: pure functions over what ingest stored
(the paper's title, its page texts and passages) and, for the share of text kept, the
PDF's raw text layer. ``benchmarks/parse_quality.py`` does the I/O and prints them."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from synth.core.types import Passage
from synth.corpus.parsing.cells import is_table_section
from synth.corpus.parsing.structure import numeric_line

ABSTRACT_NAMES = {"abstract"}
REFERENCE_NAMES = {"references", "bibliography", "referencesandnotes", "literaturecited"}
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-H](?:\.\d{1,2})*)\s+")
PROSE_WORDS = 6
_WORD = re.compile(r"[0-9a-z]+")
_REFERENCE_CUE = re.compile(
    r"\bIn Proceedings of\b|\barXiv preprint\b|\bCoRR,? abs/|\bAdvances in Neural Information"
    r"|\bpp\. \d+|\bvolume \d+, pages\b|\bURL https?://",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")


def squash(text: str) -> str:
    """``text`` for loose comparison: NFKC (ligatures expanded), lower case, letters and
    digits only, so line breaks, hyphenation and punctuation do not matter.

    Args:
        text: Any text.

    Returns:
        The letters and digits of ``text``, lower-cased, with nothing between them.
    """
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def words(text: str) -> list[str]:
    """The lower-cased NFKC words (runs of letters and digits) of ``text``.

    Args:
        text: Any text.

    Returns:
        Its words, in order.
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def section_name(section: str) -> str:
    """A section title without its number ("3.1 Setup" -> "setup"), squashed.

    Args:
        section: A section title as the parser named it.

    Returns:
        Its squashed name.
    """
    return squash(_SECTION_NUMBER.sub("", section.strip()))


def sections(passages: Iterable[Passage]) -> list[str]:
    """The distinct section titles of ``passages``, in reading order.

    Args:
        passages: A paper's passages in reading order.

    Returns:
        Each section title once, where it first holds a passage.
    """
    return list(dict.fromkeys(p.section for p in passages))


def numeric_heading(section: str) -> bool:
    """True for a section title that is mostly numbers, as a table row is
    ("langs. 15 7 33 40 11").

    Args:
        section: A section title, numbered or not.

    Returns:
        Whether it looks like a line of a table.
    """
    return not is_table_section(section) and numeric_line(section)


def title_matches(found: str, expected: str) -> bool:
    """Whether the parsed title is the expected one, ignoring case, spacing and punctuation.

    Args:
        found: The title the parser gave the paper.
        expected: The paper's real title.

    Returns:
        True when both squash to the same text.
    """
    return bool(squash(expected)) and squash(found) == squash(expected)


def has_section(passages: Iterable[Passage], names: set[str]) -> bool:
    """Whether some passage sits in a section called one of ``names`` (squashed).

    Args:
        passages: A paper's passages.
        names: Squashed section names, e.g. ``{"abstract"}``.

    Returns:
        True when a passage's section, without its number, is one of them.
    """
    return any(section_name(p.section) in names for p in passages)


def references_heading(page_texts: Iterable[str]) -> bool:
    """Whether a page holds a references heading as a paragraph of its own.

    Args:
        page_texts: The stored page texts (paragraphs separated by blank lines).

    Returns:
        True when a paragraph is "References" (or "Bibliography"), numbered or not.
    """
    return any(
        section_name(paragraph) in REFERENCE_NAMES
        for text in page_texts
        for paragraph in text.split("\n\n")
        if len(paragraph) < 40
    )


def looks_like_reference(text: str) -> bool:
    """Whether ``text`` reads like a bibliography entry: a year plus a venue cue
    ("In Proceedings of", "arXiv preprint", "CoRR abs/", ...).

    Args:
        text: A passage's text.

    Returns:
        True when it has both.
    """
    return bool(_REFERENCE_CUE.search(text)) and bool(_YEAR.search(text))


def sentence_in_passage(
    sentence: str, passages: Iterable[Passage], section: set[str] | None = None
) -> bool:
    """Whether ``sentence`` lies whole inside one passage (and that passage's section is
    one of ``section``, squashed, when given): read in order, not cut, not merged away.

    Args:
        sentence: A known sentence of the paper.
        passages: The paper's passages.
        section: Squashed section names the passage must sit in; None for any.

    Returns:
        True when some passage holds it.
    """
    key = squash(sentence)
    return bool(key) and any(
        key in squash(p.text) and (section is None or section_name(p.section) in section)
        for p in passages
    )


def passage_coverage(pages: Sequence[tuple[int, str]], passages: Iterable[Passage]) -> float:
    """The share of the page text (letters and digits) that lies inside some passage.

    Args:
        pages: ``(number, text)`` of each stored page.
        passages: The paper's passages, anchored by page number and character offsets.

    Returns:
        A share in [0, 1]; 0 for pages without text.
    """
    spans: dict[int, list[tuple[int, int]]] = {}
    for p in passages:
        spans.setdefault(p.page_start, []).append((p.char_start, p.char_end))
    total = covered = 0
    for number, text in pages:
        inside = [False] * len(text)
        for start, end in spans.get(number, []):
            end = min(end, len(text))
            inside[start:end] = [True] * max(0, end - start)
        for char, flag in zip(text, inside, strict=True):
            if char.isalnum():
                total += 1
                covered += flag
    return covered / total if total else 0.0


def word_recall(raw: Iterable[str], kept: Iterable[str]) -> float:
    """The share of the raw text layer's words that the kept text still holds, counted
    with multiplicity (a word dropped once of three times costs one).

    Args:
        raw: Texts of the PDF's own text layer (for example one per page).
        kept: The texts that ingest stored.

    Returns:
        A share in [0, 1]; 1 when the raw layer has no words.
    """
    want = Counter(w for text in raw for w in words(text))
    have = Counter(w for text in kept for w in words(text))
    total = sum(want.values())
    return sum(min(n, have[w]) for w, n in want.items()) / total if total else 1.0


def prose_lines(text: str) -> list[str]:
    """The lines of a raw text layer that read as prose: at least ``PROSE_WORDS`` words,
    three in four of them alphabetic (table rows, figure labels and formulas are not).

    Args:
        text: A page of raw extracted text, one line per line.

    Returns:
        Its prose lines.
    """
    out = []
    for line in text.splitlines():
        tokens = line.split()
        alphabetic = sum(any(c.isalpha() for c in t) for t in tokens)
        if len(tokens) >= PROSE_WORDS and alphabetic * 4 >= 3 * len(tokens):
            out.append(line)
    return out


@dataclass(frozen=True)
class Expected:
    """What is known of a paper: its title and sentences that must each be found whole in
    one passage (the abstract's and the introduction's first ones in their sections)."""

    title: str
    abstract: str = ""
    introduction: str = ""
    probes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quality:
    """The figures for one parsed paper; a check without an expectation is None."""

    pages: int
    passages: int
    sections: tuple[str, ...]
    title: str
    title_ok: bool | None
    abstract: bool
    abstract_ok: bool | None
    introduction_ok: bool | None
    probes_found: int
    probes: int
    references: bool
    reference_leaks: int
    numeric_headings: int
    coverage: float
    recall: float
    prose_recall: float

    @property
    def per_page(self) -> float:
        """Passages per page."""
        return self.passages / self.pages if self.pages else 0.0


def measure(
    title: str,
    pages: Sequence[tuple[int, str]],
    passages: Sequence[Passage],
    raw: Sequence[str],
    expected: Expected | None = None,
) -> Quality:
    """All figures for one paper.

    Args:
        title: The title ingest gave the paper.
        pages: ``(number, text)`` of each stored page.
        passages: The paper's passages in reading order.
        raw: The PDF's raw text layer, one text per page.
        expected: What is known of the paper, if anything.

    Returns:
        Its :class:`Quality`.
    """
    found = sections(passages)
    abstract, intro = ABSTRACT_NAMES, {"introduction"}
    return Quality(
        pages=len(pages),
        passages=len(passages),
        sections=tuple(found),
        title=title,
        title_ok=title_matches(title, expected.title) if expected else None,
        abstract=has_section(passages, ABSTRACT_NAMES),
        abstract_ok=(
            sentence_in_passage(expected.abstract, passages, abstract)
            if expected and expected.abstract
            else None
        ),
        introduction_ok=(
            sentence_in_passage(expected.introduction, passages, intro)
            if expected and expected.introduction
            else None
        ),
        probes_found=sum(
            sentence_in_passage(s, passages) for s in (expected.probes if expected else ())
        ),
        probes=len(expected.probes) if expected else 0,
        references=references_heading(text for _, text in pages),
        reference_leaks=sum(looks_like_reference(p.text) for p in passages),
        numeric_headings=sum(numeric_heading(s) for s in found),
        coverage=passage_coverage(pages, passages),
        recall=word_recall(raw, (text for _, text in pages)),
        prose_recall=word_recall(
            ("\n".join(prose_lines(text)) for text in raw), (text for _, text in pages)
        ),
    )
