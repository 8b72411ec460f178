"""From lines to page texts with paragraphs, section names and the references section
marked, so that passages can be cut with exact page offsets. Plain text comes as bare
lines; a PDF page comes as :class:`TextLine` objects whose kind the layout decided
(:mod:`synth.corpus.parsing.layout`): body text, a heading, or a float (a caption or a
footnote, kept in paragraphs of its own)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from synth.core.types import Block, BlockKind, PageText
from synth.corpus.parsing.clean import hyphenated_words, join_lines

FRONT_MATTER = "Front matter"
ABSTRACT = "Abstract"
PARAGRAPH_SEP = "\n\n"

_NUMBER_PREFIX = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s*")
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.!?]{1,70}$")
# Set in a heading's type, a number may be followed by a lower-case name ("3 mC4").
_NUMBERED_SET_APART = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s+\S[^!?]{0,80}$")
# "A Details", "A.1 Setup", "Appendix B": not "C. Raffel ..." (an initial) nor "C Raffel 2020".
_APPENDIX = re.compile(
    r"^(?:(?:appendix|supplementary)\b.*|[A-H](?:\.\d{1,2})*\s+[A-Z][^.!?\d]{1,70})$", re.I
)
# Set in a heading's type, an appendix letter may take a period ("C. Implementation").
_APPENDIX_SET_APART = re.compile(r"^[A-H](?:\.\d{1,2})*\.?\s+[A-Z][^!?]{1,80}$")
_MARKDOWN = re.compile(r"#{1,6}\s+(\S.*)")  # the closing "#"s are cut in Python: linear
_NAMED = {
    "abstract", "introduction", "related work", "background", "method", "methods",
    "methodology", "approach", "experiments", "experimental setup", "results", "discussion",
    "analysis", "conclusion", "conclusions", "limitations", "acknowledgments",
    "acknowledgements", "acknowledgment", "acknowledgement", "appendix", "appendices",
    "ethics statement", "ethical considerations", "broader impact", "broader impacts",
    "impact statement", "author contributions", "contributions",
}  # fmt: skip
_REFERENCES = {"references", "bibliography", "works cited", "literature cited"}
_PARAGRAPH_END = re.compile(r"[.!?:][\"'”’)\]]?$")
# Signs and brackets, then figures with at least one digit (checked ahead, so that a long
# run of digits is not split at every place in turn), then closing brackets.
_NUMBER = re.compile(r"[-+±−(\[]*+(?=[.,%/×x]*+\d)[\d.,%/×x]++[)\]]*+[,;]?")
SHORT_LINE = 0.75  # a line this much shorter than the page's typical one may end a paragraph
ABSTRACT_WORDS = 60  # a front-matter paragraph this long on page 1 is an unlabelled abstract
CAPS_HEADING_WORDS = 6  # an all-capitals line set apart this short is a heading ("KEYWORDS") ...
CAPS_LETTERS = 5  # ... when it has more letters than this (not a table's "XLM-R" or "MNLI")


class LineKind(StrEnum):
    """What the layout says a line is."""

    TEXT = "text"  # plain text without layout: paragraphs and headings by text rules alone
    BODY = "body"  # body text of a PDF page
    HEADING = "heading"  # set apart in bold or larger type, and it reads as a heading
    FLOAT = "float"  # a caption or a footnote: paragraphs of its own


@dataclass(frozen=True)
class TextLine:
    """A line and its kind; ``starts`` marks a line that the layout shows opening a
    paragraph (indented, or after a vertical gap)."""

    text: str
    kind: LineKind = LineKind.TEXT
    starts: bool = False


def numeric_line(text: str) -> bool:
    """True for a line that is mostly numbers, as a table row is ("langs. 15 7 33 40 11"):
    at least three numeric tokens, or half of its tokens, its section number aside.

    Args:
        text: A line.

    Returns:
        Whether it reads as a row of figures.
    """
    tokens = _NUMBER_PREFIX.sub("", text.strip()).split()
    numbers = sum(map(number_token, tokens))
    return numbers >= 3 or (bool(tokens) and numbers * 2 >= len(tokens))


def number_token(token: str) -> bool:
    """Whether a token is a figure: "80.1", "+2.2", "(3)", "1,104,934", "50%", "76.1/60.0".

    Args:
        token: A word of a line.

    Returns:
        True for a number, however punctuated.
    """
    return bool(_NUMBER.fullmatch(token))


def heading(line: str, in_references: bool, set_apart: bool = False) -> str | None:
    """The section name if ``line`` is a heading. Inside the references only an appendix
    heading counts, so that numbered reference entries are not taken for sections.

    Args:
        line: A line of text.
        in_references: Whether the references section is open.
        set_apart: The layout shows the line in bold or larger type, alone: a number then
            any name is a heading ("3 mC4"), and so is a short all-capitals line.

    Returns:
        The section name, or None.
    """
    markdown = _MARKDOWN.match(line)
    if markdown:
        name = markdown.group(1)
        return name.rstrip("#").rstrip() or name[0]
    bare = line.strip().rstrip(":")
    if len(bare.split()) > 12 or numeric_line(bare):
        return None
    appendix = _APPENDIX.match(bare) or (set_apart and _APPENDIX_SET_APART.match(bare))
    if in_references:
        return bare if appendix else None
    name = _NUMBER_PREFIX.sub("", bare).lower()
    if (name in _NAMED or name in _REFERENCES) or _NUMBERED.match(bare):
        return bare
    if set_apart and (_NUMBERED_SET_APART.match(bare) or appendix):
        return bare
    caps = bare.isupper() and len(bare.split()) <= CAPS_HEADING_WORDS and "," not in bare
    return bare if set_apart and caps and sum(c.isalpha() for c in bare) > CAPS_LETTERS else None


def is_references(section: str) -> bool:
    """Whether a section name names the references.

    Args:
        section: A section name ("7 References").

    Returns:
        True for the references (or bibliography).
    """
    return _NUMBER_PREFIX.sub("", section).strip().lower() in _REFERENCES


def _typical_length(lines: list[TextLine]) -> float:
    lengths = [len(line.text) for line in lines if len(line.text) >= 20]
    return statistics.median(lengths) if lengths else 0.0


def _ends_paragraph(line: str, typical: float) -> bool:
    """A line that ends a sentence well short of the page's typical line ends a paragraph."""
    return bool(_PARAGRAPH_END.search(line)) and len(line) < SHORT_LINE * typical


def _assemble(number: int, paragraphs: list[tuple[str, str, BlockKind]]) -> PageText:
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    for text, section, kind in paragraphs:
        if parts:
            offset += len(PARAGRAPH_SEP)
        blocks.append(Block(offset, offset + len(text), section, kind))
        parts.append(text)
        offset += len(text)
    return PageText(number, PARAGRAPH_SEP.join(parts), tuple(blocks))


def _heading_of(line: TextLine, in_references: bool) -> str | None:
    """A line's section name when it is a heading: plain text by the text rules, a PDF
    line when the layout set it apart, or when it is a named heading alone ("References")."""
    if line.kind is LineKind.TEXT:
        return heading(line.text, in_references) if line.text else None
    if line.kind is LineKind.HEADING:
        return heading(line.text, in_references, set_apart=True)
    named = _NUMBER_PREFIX.sub("", line.text.strip().rstrip(":")).lower()
    if line.kind is LineKind.BODY and (named in _NAMED or named in _REFERENCES):
        return heading(line.text, in_references)
    return None


def structure_pages(
    pages: Sequence[Sequence[str | TextLine]], first_section: str = FRONT_MATTER
) -> list[PageText]:
    """Group each page's lines into paragraphs and headings, tracking the section across
    pages. A paragraph ends at a blank line, a heading, a short line that ends a
    sentence, a line the layout marks as opening one, or a change of kind (body text to a
    float). Everything after a References heading, up to an appendix, is marked. A long
    PDF paragraph in the front matter of page 1 opens the Abstract when no heading does.

    Args:
        pages: Each page's lines: bare strings (plain text) or :class:`TextLine` objects.
        first_section: The section name before the first heading.

    Returns:
        One :class:`PageText` per page, numbered from 1.
    """
    lines_of = [[TextLine(ln) if isinstance(ln, str) else ln for ln in page] for page in pages]
    hyphenated = hyphenated_words(line.text for lines in lines_of for line in lines)
    section, kind = first_section, BlockKind.BODY
    result = []
    for number, lines in enumerate(lines_of, start=1):
        typical = _typical_length(lines)
        paragraphs: list[tuple[str, str, BlockKind]] = []
        current: list[TextLine] = []
        for line in [*lines, TextLine("")]:  # the blank sentinel closes the last paragraph
            name = _heading_of(line, kind is BlockKind.REFERENCES)
            if current and (
                name is not None
                or not line.text
                or (line.starts and line.kind is not LineKind.TEXT)
                or line.kind is not current[-1].kind
            ):
                section = _paragraph(current, hyphenated, section, kind, number, paragraphs)
            if name is not None:
                section = name
                kind = BlockKind.REFERENCES if is_references(name) else BlockKind.BODY
                paragraphs.append((line.text, section, BlockKind.HEADING))
            elif line.text:
                current.append(line)
                if _ends_paragraph(line.text, typical):
                    section = _paragraph(current, hyphenated, section, kind, number, paragraphs)
        result.append(_assemble(number, paragraphs))
    return result


def _paragraph(
    lines: list[TextLine],
    hyphenated: set[str],
    section: str,
    kind: BlockKind,
    page: int,
    out: list[tuple[str, str, BlockKind]],
) -> str:
    """Append the paragraph of ``lines`` to ``out`` and empty ``lines``; returns the
    section, which turns to the Abstract at a long body paragraph in page 1's front matter."""
    text = join_lines([ln.text for ln in lines], hyphenated)
    if (
        page == 1
        and section == FRONT_MATTER
        and lines[0].kind is LineKind.BODY
        and len(text.split()) >= ABSTRACT_WORDS
    ):
        section = ABSTRACT
    out.append((text, section, kind))
    lines.clear()
    return section


def sentences_page(sentences: list[str], section: str = ABSTRACT) -> PageText:
    """One page from text already split into sentences (a JSONL abstract, arXiv metadata).

    Args:
        sentences: The sentences, in order.
        section: The section they belong to.

    Returns:
        A page with one paragraph whose sentence spans are given.
    """
    spans, offset = [], 0
    for sentence in sentences:
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    text = " ".join(sentences)
    block = Block(0, len(text), section, BlockKind.BODY, tuple(spans))
    return PageText(1, text, (block,) if text else ())
