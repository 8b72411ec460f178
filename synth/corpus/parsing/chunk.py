"""Sentence splitting and passage cutting: pure functions over page texts."""

from __future__ import annotations

import re

from synth.core.settings import ChunkSettings
from synth.core.types import BlockKind, PageText, Passage

# The end mark with its closing quotes and brackets (group 1), the spaces after it, and the
# start of the next sentence ("•": a list item). Possessive, so a long run of spaces or
# quotes is crossed once, not once per length.
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*+)\s++(?=[\"'“‘(\[]?[A-Z0-9•])")
_ABBREVIATIONS = {
    "e.g", "i.e", "al", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "vs", "cf", "dr",
    "mr", "mrs", "ms", "approx", "resp", "incl", "viz", "ref", "refs", "ch",
    "vol", "pp", "ed", "eds", "jr", "sr", "prof", "inc", "ltd", "corp", "u.s", "u.k", "ca",
}  # fmt: skip
_PASSAGE_KINDS = frozenset({BlockKind.BODY, BlockKind.TABLE})


def _last_word(text: str, start: int, end: int) -> str:
    """The run of non-space characters that ends at ``end``, no further back than ``start``."""
    at = end
    while at > start and not text[at - 1].isspace():
        at -= 1
    return text[at:end]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, trimmed of surrounding whitespace.
    Abbreviations ("e.g.", "et al.", "Fig."), initials and decimals do not end a sentence.
    Linear in the length of ``text``.

    Args:
        text: A paragraph.

    Returns:
        The spans of its sentences, in order.
    """
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        word = _last_word(text, start, match.start()).lower().lstrip("(\"'[")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        spans.append((start, match.end(1)))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [
        (s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans if text[s:e].strip()
    ]


def _cap(span: tuple[int, int], text: str, limit: int) -> list[tuple[int, int]]:
    """Split a run-on "sentence" (a table, a list) longer than ``limit`` at spaces."""
    start, end = span
    pieces = []
    while end - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        cut = cut if cut > start else start + limit
        pieces.append((start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    pieces.append((start, end))
    return pieces


def chunk_page(page: PageText, paper_id: str, settings: ChunkSettings) -> list[Passage]:
    """Passages of up to ``max_sentences`` sentences (and about ``max_chars``) that stay
    inside one paragraph, or one table row (whose sentences are its cells, the row its
    context); headings and the references section give none."""
    passages = []
    for block in page.blocks:
        if block.kind not in _PASSAGE_KINDS:
            continue
        spans = block.sentences or tuple(
            (block.start + s, block.start + e)
            for s, e in split_sentences(page.text[block.start : block.end])
        )
        spans = tuple(p for s in spans for p in _cap(s, page.text, 2 * settings.max_chars))
        groups: list[list[tuple[int, int]]] = []
        for span in spans:
            group = groups[-1] if groups else None
            if (
                group is None
                or len(group) >= settings.max_sentences
                or span[1] - group[0][0] > settings.max_chars
            ):
                groups.append([span])
            else:
                group.append(span)
        for group in groups:
            start, end = group[0][0], group[-1][1]
            pad = max(0, (settings.context_chars - (end - start)) // 2)
            lo, hi = max(block.start, start - pad), min(block.end, end + pad)
            if block.kind is BlockKind.TABLE:  # whole cells: a cut one misreads its number
                lo = min((s for s, e in spans if e > lo), default=lo)
                hi = max((e for s, e in spans if s < hi), default=hi)
            context = page.text[lo:hi]
            passages.append(
                Passage(
                    paper_id=paper_id,
                    page_start=page.number,
                    page_end=page.number,
                    section=block.section,
                    char_start=start,
                    char_end=end,
                    text=page.text[start:end],
                    context=context,
                )
            )
    return passages
