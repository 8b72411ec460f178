"""Cleaning extracted lines: ligatures, running headers/footers, page numbers, hyphenation."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable

_CHARMAP = str.maketrans(
    {
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
        "\u00ad": "",  # soft hyphen
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)
_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(rf"^(page\s+)?(\d{{1,4}}|{_ROMAN})(\s*(of|/)\s*\d{{1,4}})?$", re.I)
_ARXIV_STAMP = re.compile(r"^arXiv:\S+\s+\[[^\]]+\]\s+\d{1,2}\s+\w{3}\s+\d{4}$")
_HYPHEN_END = re.compile(r"(-?)([A-Za-z0-9]+)-$")
_WORD_START = re.compile(r"[A-Za-z0-9]+")
_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers/footers
PROSE_LINE = 60  # a line this long that ends a sentence is body text, never a running line
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]?$")


def normalise_line(line: str) -> str:
    """Ligatures expanded, odd spaces and hyphens made plain, whitespace collapsed."""
    return " ".join(line.translate(_CHARMAP).split())


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _edge_indexes(lines: list[str]) -> set[int]:
    text = [i for i, line in enumerate(lines) if line]
    edges = set(text[:EDGE_LINES] + text[-EDGE_LINES:])
    return {i for i in edges if len(lines[i]) < PROSE_LINE or not _SENTENCE_END.search(lines[i])}


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers, the arXiv margin stamp, and header/footer lines repeated on at
    least half of the pages (digits ignored, so "Phang et al. 3" matches "... 4")."""
    edges = [_edge_indexes(lines) for lines in pages]
    counts = Counter(
        key
        for lines, idx in zip(pages, edges, strict=True)
        for key in {_key(lines[i]) for i in idx}
    )
    threshold = max(2, math.ceil(len(pages) / 2))
    repeated = {key for key, n in counts.items() if n >= threshold} if len(pages) > 1 else set()
    cleaned = []
    for lines, idx in zip(pages, edges, strict=True):
        kept = []
        for i, line in enumerate(lines):
            if _ARXIV_STAMP.match(line):
                continue
            if i in idx and (_PAGE_NUMBER.match(line) or _key(line) in repeated):
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned


def hyphenated_words(lines: Iterable[str]) -> set[str]:
    """Hyphenated compounds written inside lines, and their adjacent pairs, lower-cased:
    "state-of-the-art" gives it plus "state-of", "of-the", "the-art"."""
    found: set[str] = set()
    for line in lines:
        for match in _COMPOUND.finditer(line):
            parts = match.group(0).lower().split("-")
            found.add("-".join(parts))
            found.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    return found


def join_lines(lines: list[str], hyphenated: set[str]) -> str:
    """Join a paragraph's lines, mending words hyphenated at a line end ("trans-" +
    "fer"). The hyphen stays, with no space, when it belongs to a compound: the document
    writes the pair with a hyphen elsewhere, the fragment is already a compound
    ("state-of-the-" + "art"), the next line starts with a capital or a digit ("Self-" +
    "Attention"), or the fragment is an acronym or a number ("GPT-" + "style", "3-" + "5")."""
    out = ""
    for line in lines:
        if not out:
            out = line
            continue
        end, start = _HYPHEN_END.search(out), _WORD_START.match(line)
        if end and start:
            head, tail = end.group(2), start.group(0)
            keep = (
                bool(end.group(1))
                or not tail[0].islower()
                or not head[-1].isalpha()
                or (len(head) > 1 and head.isupper())
                or f"{head}-{tail}".lower() in hyphenated
            )
            out = out + line if keep else out[:-1] + line
        else:
            out = f"{out} {line}"
    return out
