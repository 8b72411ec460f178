"""Cleaning extracted lines: ligatures, running headers and footers (found by where they
sit on the page), page numbers, venue lines, hyphenation."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from synth.corpus.parsing.layout import Line

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
# Venue, copyright and licence lines that journals and proceedings print in the margins.
_VENUE = re.compile(
    r"^(?:proceedings of |findings of the |published as a (?:conference|workshop) paper"
    r"|preprint\b|under review\b|accepted (?:at|to|as)\b|copyright\b|permission to make digital"
    r"|acm isbn|acm reference format|https?://doi\.org/"
    r"|\d+(?:st|nd|rd|th) conference on |[^a-z]*©|\(c\) ?\d{4}|this work is licensed)",
    re.I,
)
# Untrusted text: every pattern runs in linear time (a match starts only where a run of
# letters starts, and runs are taken whole, possessively), so a 1 MB line cannot stall it.
_WORD_START = re.compile(r"[A-Za-z0-9]++")
_COMPOUND = re.compile(r"(?<![A-Za-z])[A-Za-z]++(?:-[A-Za-z]++)++")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
MAX_WORD = 100  # longer runs of letters are not words: a hyphen after one is not mended
MARGIN = 0.12  # running headers and footers lie in this share of the page at top and bottom
RUNNING_SHARE = 0.3  # a margin line repeated on this share of the pages is a running line
SAME_PLACE = 3.0  # points that a repeated line may move between pages


def normalise_line(line: str) -> str:
    """Ligatures expanded, odd spaces and hyphens made plain, whitespace collapsed.

    Args:
        line: A line of extracted text.

    Returns:
        The cleaned line.
    """
    return " ".join(line.translate(_CHARMAP).split())


def line_key(line: str) -> str:
    """``line`` lower-cased with every number as "#", so that "Phang et al. 3" and
    "Phang et al. 4" compare equal.

    Args:
        line: A line.

    Returns:
        Its key.
    """
    return re.sub(r"\d+", "#", line.lower())


def venue_line(text: str) -> bool:
    """Whether ``text`` is a venue, copyright, licence or DOI line ("Proceedings of the
    58th Annual Meeting ...", "© 2020 ...", "Published as a conference paper at ...").

    Args:
        text: A line.

    Returns:
        True for such a line.
    """
    return bool(_VENUE.match(text.strip()))


def margin_junk(text: str) -> bool:
    """Whether a line in a page's margin is furniture, not content: a page number, the
    arXiv stamp, or a venue line.

    Args:
        text: A line in the top or bottom margin.

    Returns:
        True when it should go.
    """
    line = text.strip()
    return bool(_PAGE_NUMBER.match(line) or _ARXIV_STAMP.match(line)) or venue_line(line)


def running_lines(pages: Sequence[Sequence[Line]], heights: Sequence[float]) -> list[set[int]]:
    """The running headers, footers and page numbers of each page: lines in the top or
    bottom ``MARGIN`` of a page that are margin furniture (a page number, the arXiv stamp, a
    venue line), or whose text (digits ignored, so "Phang et al. 3" matches "... 4") recurs
    at the same height on at least ``RUNNING_SHARE`` of the pages.

    Args:
        pages: Each page's lines.
        heights: Each page's height.

    Returns:
        For each page, the indexes of its running lines.
    """
    margins = [
        [
            i
            for i, line in enumerate(lines)
            if line.bottom < MARGIN * height or line.top > (1 - MARGIN) * height
        ]
        for lines, height in zip(pages, heights, strict=True)
    ]
    places: dict[str, list[float]] = {}
    for lines, idx in zip(pages, margins, strict=True):
        for key, top in {(line_key(lines[i].text), round(lines[i].top)) for i in idx}:
            places.setdefault(key, []).append(top)
    threshold = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    result = []
    for lines, idx in zip(pages, margins, strict=True):
        drop = set()
        for i in idx:
            tops = places.get(line_key(lines[i].text), [])
            again = sum(abs(top - lines[i].top) <= SAME_PLACE for top in tops)
            if margin_junk(lines[i].text) or (len(pages) > 1 and again >= threshold):
                drop.add(i)
        result.append(drop)
    return result


def hyphenated_words(lines: Iterable[str]) -> set[str]:
    """Hyphenated compounds written inside lines, and their adjacent pairs, lower-cased:
    "state-of-the-art" gives it plus "state-of", "of-the", "the-art".

    Args:
        lines: The document's lines.

    Returns:
        The compounds and pairs.
    """
    found: set[str] = set()
    for line in lines:
        for match in _COMPOUND.finditer(line):
            parts = match.group(0).lower().split("-")
            found.add("-".join(parts))
            found.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    return found


def _hyphen_end(text: str) -> tuple[bool, str] | None:
    """The word that ``text`` ends in before a final hyphen, and whether a hyphen comes
    before that word too: "state-of-the-" gives (True, "the"), "trans-" (False, "trans").
    Only the last :data:`MAX_WORD` + 2 characters are looked at."""
    if not text.endswith("-"):
        return None
    end = start = len(text) - 1
    while start > 0 and text[start - 1] in _WORD_CHARS and end - start <= MAX_WORD:
        start -= 1
    if start == end or end - start > MAX_WORD:
        return None
    return text[start - 1 : start] == "-", text[start:end]


def join_lines(lines: list[str], hyphenated: set[str]) -> str:
    """Join a paragraph's lines, mending words hyphenated at a line end ("trans-" +
    "fer"). The hyphen stays, with no space, when it belongs to a compound: the document
    writes the pair with a hyphen elsewhere, the fragment is already a compound
    ("state-of-the-" + "art"), the next line starts with a capital or a digit ("Self-" +
    "Attention"), or the fragment is an acronym or a number ("GPT-" + "style", "3-" + "5").
    Linear in the paragraph's length, however many lines it has.

    Args:
        lines: The paragraph's lines.
        hyphenated: Compounds the document writes with a hyphen (:func:`hyphenated_words`).

    Returns:
        The paragraph as one line.
    """
    parts: list[str] = []
    tail = ""  # the joined text's last characters: enough to see the word it ends in
    for line in lines:
        piece = line
        if tail:
            end, start = _hyphen_end(tail), _WORD_START.match(line)
            if end and start:
                (compound, head), word = end, start.group(0)
                keep = (
                    compound
                    or not word[0].islower()
                    or not head[-1].isalpha()
                    or (len(head) > 1 and head.isupper())
                    or f"{head}-{word}".lower() in hyphenated
                )
                if not keep:
                    parts[-1], tail = parts[-1][:-1], tail[:-1]
            else:
                piece = f" {line}"
        parts.append(piece)
        tail = (tail + piece)[-(MAX_WORD + 2) :]
    return "".join(parts)
