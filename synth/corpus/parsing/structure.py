"""From cleaned lines to page texts with paragraphs, section names and the references
section marked, so that passages can be cut with exact page offsets."""

from __future__ import annotations

import re
import statistics

from synth.core.types import Block, BlockKind, PageText
from synth.corpus.parsing.clean import hyphenated_words, join_lines

FRONT_MATTER = "Front matter"
ABSTRACT = "Abstract"
PARAGRAPH_SEP = "\n\n"

_NUMBER_PREFIX = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s*")
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.!?]{1,70}$")
# "A Details", "A.1 Setup", "Appendix B": not "C. Raffel ..." (an initial) nor "C Raffel 2020".
_APPENDIX = re.compile(
    r"^(?:(?:appendix|supplementary)\b.*|[A-H](?:\.\d{1,2})*\s+[A-Z][^.!?\d]{1,70})$", re.I
)
_MARKDOWN = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_NAMED = {
    "abstract", "introduction", "related work", "background", "method", "methods",
    "methodology", "approach", "experiments", "experimental setup", "results", "discussion",
    "analysis", "conclusion", "conclusions", "limitations", "acknowledgments",
    "acknowledgements", "appendix", "appendices",
}  # fmt: skip
_REFERENCES = {"references", "bibliography", "works cited", "literature cited"}
_PARAGRAPH_END = re.compile(r"[.!?:][\"'”’)\]]?$")
SHORT_LINE = 0.75  # a line this much shorter than the page's typical one may end a paragraph


def heading(line: str, in_references: bool) -> str | None:
    """The section name if ``line`` is a heading. Inside the references only an appendix
    heading counts, so that numbered reference entries are not taken for sections."""
    markdown = _MARKDOWN.match(line)
    if markdown:
        return markdown.group(1)
    bare = line.strip().rstrip(":")
    if len(bare.split()) > 12:
        return None
    if in_references:
        return bare if _APPENDIX.match(bare) else None
    name = _NUMBER_PREFIX.sub("", bare).lower()
    if (name in _NAMED or name in _REFERENCES) or _NUMBERED.match(bare):
        return bare
    return None


def is_references(section: str) -> bool:
    return _NUMBER_PREFIX.sub("", section).strip().lower() in _REFERENCES


def _typical_length(lines: list[str]) -> float:
    lengths = [len(line) for line in lines if len(line) >= 20]
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


def structure_pages(pages: list[list[str]], first_section: str = FRONT_MATTER) -> list[PageText]:
    """Group each page's lines into paragraphs and headings, tracking the section across
    pages. A paragraph ends at a blank line, a heading, or a short line that ends a
    sentence. Everything after a References heading, up to an appendix, is marked."""
    hyphenated = hyphenated_words(line for lines in pages for line in lines)
    section, kind = first_section, BlockKind.BODY
    result = []
    for number, lines in enumerate(pages, start=1):
        typical = _typical_length(lines)
        paragraphs: list[tuple[str, str, BlockKind]] = []
        current: list[str] = []
        for line in [*lines, ""]:  # the blank sentinel closes the page's last paragraph
            name = heading(line, kind is BlockKind.REFERENCES) if line else None
            if line and name is None:
                current.append(line)
            ends = name is not None or not line or _ends_paragraph(line, typical)
            if current and ends:
                paragraphs.append((join_lines(current, hyphenated), section, kind))
                current = []
            if name is not None:
                section = name
                kind = BlockKind.REFERENCES if is_references(name) else BlockKind.BODY
                paragraphs.append((line, section, BlockKind.HEADING))
        result.append(_assemble(number, paragraphs))
    return result


def sentences_page(sentences: list[str], section: str = ABSTRACT) -> PageText:
    """One page from text already split into sentences (a JSONL abstract, arXiv metadata)."""
    spans, offset = [], 0
    for sentence in sentences:
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    text = " ".join(sentences)
    block = Block(0, len(text), section, BlockKind.BODY, tuple(spans))
    return PageText(1, text, (block,) if text else ())
