"""Words with positions from PDF bytes, through pdfplumber (pdfminer.six): the input of table
detection (:mod:`synth.corpus.parsing.tables`).

Words are cut from characters by the gaps between them relative to the font size, so tightly
set text ("Table2:Single-task") still comes apart; rotated characters make vertical words.
:func:`text_lines` groups words into lines cut into segments (cells) at wide gaps; it and
:func:`bands` are pure and tested on hand-made words. The work of reading is bounded: only
the pages asked for, at most ``MAX_CHARS`` characters a page, and a time budget for the whole
file. A PDF that pdfplumber cannot read gives no pages."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

MAX_CHARS = 30_000  # a page with more characters than this is skipped (not a paper page)
WORD_GAP = 0.15  # a gap wider than this share of the font size separates two words
RULE_THICKNESS = 2.0  # a filled rectangle at most this tall is a horizontal rule
CELL_GAP = 0.5  # em: a wider gap between two words of a line separates two cells
SIGNS = frozenset("+-−–")
_MARK = re.compile(r"[a-z]?[*∗⋆†‡§¶]+|[a-z]")  # a footnote mark set after a number
_SPACES = frozenset(" \u00a0\t\n")

Char = Mapping[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Word:
    """A word on a page: its text and box (points, top-down). ``vertical`` words are set
    sideways; their ``size`` is their thickness."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 10.0
    vertical: bool = False


@dataclass(frozen=True)
class Rule:
    """A horizontal rule from ``x0`` to ``x1`` at height ``y``."""

    x0: float
    x1: float
    y: float


@dataclass(frozen=True)
class PageLayout:
    number: int
    width: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()


def bands(items: Iterable[T], extent: Callable[[T], tuple[float, float]]) -> list[list[T]]:
    """Items grouped into bands (lines, or columns of sideways text) by their extents along
    one axis: in order of centre, an item joins the current band when it overlaps the
    band's reference item by half of the smaller of the two. The reference is the first
    item, or a taller one that holds most of it: superscripts join their line, while lines
    of two page columns set half a line apart chain nothing together.

    Args:
        items: Anything with an extent along one axis.
        extent: ``(low, high)`` of an item along that axis.

    Returns:
        The bands in order along the axis, each in its items' order of centre.
    """
    out: list[list[T]] = []
    lo = hi = 0.0
    for item in sorted(items, key=lambda i: sum(extent(i))):
        a, b = extent(item)
        if out and min(b, hi) - max(a, lo) >= 0.5 * max(min(b - a, hi - lo), 0.0):
            out[-1].append(item)
            if b - a > hi - lo and min(b, hi) - max(a, lo) >= 0.75 * (hi - lo):
                lo, hi = a, b  # from a superscript to the line that holds it
        else:
            out.append([item])
            lo, hi = a, b
    return out


# Lines of words, cut into cells at wide gaps.


@dataclass(frozen=True)
class Segment:
    """Words of one line with no wide gap between them: a table cell, or a run of text."""

    text: str
    x0: float
    x1: float
    words: tuple[Word, ...]

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)


@dataclass(frozen=True)
class TextLine:
    segs: tuple[Segment, ...]
    top: float
    bottom: float


def join_words(words: Sequence[Word]) -> str:
    """The text of words of one line, in order.

    Args:
        words: At least one word, left to right.

    Returns:
        Their text: words set close stay together ("ANLI" "+"), a lone sign sticks to the
        number after it and a slash to both sides, and a footnote mark raised after a number
        ("89.4" "a") is left out.
    """
    text = words[0].text
    for i in range(1, len(words)):
        w, prev = words[i], words[i - 1]
        if w.size < 0.85 * prev.size and _MARK.fullmatch(w.text) and prev.text[-1:].isdigit():
            continue
        before = words[i - 2].text[-1:] if i > 1 else ""
        sign = prev.text in SIGNS and w.text[:1].isdigit() and not before.isalnum()
        close = w.x0 - prev.x1 < 0.1 * max(w.size, prev.size)
        glue = sign or close or w.text == "/" or prev.text == "/"
        text += w.text if glue else " " + w.text
    return text


def text_lines(words: Iterable[Word]) -> list[TextLine]:
    """The upright words as lines, top to bottom, each cut into segments at gaps wider than
    ``CELL_GAP`` em.

    Args:
        words: A page's words (vertical ones are left out).

    Returns:
        The lines, each with its segments from left to right.
    """
    lines = []
    for band in bands((w for w in words if not w.vertical), lambda w: (w.top, w.bottom)):
        runs: list[list[Word]] = []
        for w in sorted(band, key=lambda w: w.x0):
            if runs and w.x0 - runs[-1][-1].x1 <= CELL_GAP * max(w.size, runs[-1][-1].size):
                runs[-1].append(w)
            else:
                runs.append([w])
        segs = tuple(Segment(join_words(r), r[0].x0, max(w.x1 for w in r), tuple(r)) for r in runs)
        lines.append(TextLine(segs, min(w.top for w in band), max(w.bottom for w in band)))
    return lines


def _upright_words(chars: Sequence[Char]) -> list[Word]:
    """Words of upright characters: lines by vertical overlap, then cut at wide gaps and
    where a superscript starts or ends."""
    words: list[Word] = []
    for line in bands(chars, lambda c: (float(c["top"]), float(c["bottom"]))):
        line.sort(key=lambda c: float(c["x0"]))
        run: list[Char] = []
        for c in line:
            if run:
                prev = run[-1]
                size = max(float(c["size"]), float(prev["size"]), 1.0)
                gap = float(c["x0"]) - float(prev["x1"])
                shift = abs(float(c["x0"]) - float(prev["x0"]))
                if c["text"] == prev["text"] and shift < 0.25 * _width(prev):
                    continue  # the same glyph drawn twice, slightly shifted (fake bold)
                if (
                    gap > WORD_GAP * size
                    or gap < -0.5 * size
                    or _raised(c, prev) != _raised(prev, c)
                ):  # a superscript is a word of its own ("89.4" "a"), set close
                    words.append(_word(run, vertical=False))
                    run = []
            run.append(c)
        if run:
            words.append(_word(run, vertical=False))
    return words


def _raised(c: Char, other: Char) -> bool:
    """Whether ``c`` is set smaller and higher than ``other`` (a superscript)."""
    size, base = float(other["size"]), float(other["bottom"])
    return float(c["size"]) < 0.85 * size and float(c["bottom"]) < base - 0.15 * size


def _width(c: Char) -> float:
    return max(float(c["x1"]) - float(c["x0"]), 0.1)


def _vertical_words(chars: Sequence[Char]) -> list[Word]:
    """Words of rotated characters (labels set sideways), read along their direction."""
    columns = bands(chars, lambda c: (float(c["x0"]), float(c["x1"])))
    words: list[Word] = []
    for column in columns:
        upward = float(column[0]["matrix"][1]) >= 0  # rotated a quarter turn left: bottom-up
        column.sort(key=lambda c: -float(c["bottom"]) if upward else float(c["top"]))
        run: list[Char] = []
        for c in column:
            if run:
                prev = run[-1]
                thick = max(float(c["x1"]) - float(c["x0"]), 1.0)
                gap = (
                    float(prev["top"]) - float(c["bottom"])
                    if upward
                    else float(c["top"]) - float(prev["bottom"])
                )
                if gap > WORD_GAP * thick:
                    words.append(_word(run, vertical=True))
                    run = []
            run.append(c)
        if run:
            words.append(_word(run, vertical=True))
    return words


def _word(chars: Sequence[Char], vertical: bool) -> Word:
    x0 = min(float(c["x0"]) for c in chars)
    x1 = max(float(c["x1"]) for c in chars)
    size = x1 - x0 if vertical else max(float(c["size"]) for c in chars)
    return Word(
        text="".join(str(c["text"]) for c in chars),
        x0=x0,
        x1=x1,
        top=min(float(c["top"]) for c in chars),
        bottom=max(float(c["bottom"]) for c in chars),
        size=size,
        vertical=vertical,
    )


def _rules(page: Any) -> tuple[Rule, ...]:
    """Horizontal rules: drawn lines, and thin filled rectangles (how some PDFs draw them)."""
    rules = []
    for line in page.lines:
        if abs(float(line["top"]) - float(line["bottom"])) < 1.0:
            rules.append(Rule(float(line["x0"]), float(line["x1"]), float(line["top"])))
    for rect in page.rects:
        top, bottom = float(rect["top"]), float(rect["bottom"])
        if bottom - top <= RULE_THICKNESS and float(rect["x1"]) - float(rect["x0"]) > 5.0:
            rules.append(Rule(float(rect["x0"]), float(rect["x1"]), (top + bottom) / 2))
    return tuple(sorted(rules, key=lambda r: (r.y, r.x0)))


def page_layout(page: Any, number: int) -> PageLayout | None:
    """The words and rules of one page.

    Args:
        page: A pdfplumber page.
        number: Its page number (from 1).

    Returns:
        Its layout, or None for a page with too many characters to be a page of a paper.
    """
    chars = [c for c in page.chars if str(c.get("text", "")) not in _SPACES]
    if len(chars) > MAX_CHARS:
        return None
    upright = [c for c in chars if c.get("upright", True)]
    rotated = [c for c in chars if not c.get("upright", True)]
    words = _upright_words(upright) + _vertical_words(rotated)
    return PageLayout(number, float(page.width), tuple(words), _rules(page))


def read_layouts(
    data: bytes, pages: Collection[int] | None = None, budget_s: float = 60.0
) -> list[PageLayout]:
    """The layouts of the PDF's pages (all, or the 1-based ``pages`` asked for).

    Args:
        data: The PDF's bytes.
        pages: Page numbers to read (1-based); None reads every page.
        budget_s: Seconds after which no further page is started.

    Returns:
        The layouts read, in page order; an empty list for a PDF pdfplumber cannot open, and
        no layout for a page it cannot read.
    """
    import pdfplumber

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    deadline = time.monotonic() + budget_s
    layouts: list[PageLayout] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfminer raises many kinds on broken files
        return layouts
    try:
        try:
            count = len(pdf.pages)
        except Exception:
            return layouts
        for number in sorted(set(range(1, count + 1) if pages is None else pages)):
            if not 1 <= number <= count or time.monotonic() > deadline:
                continue
            try:
                layout = page_layout(pdf.pages[number - 1], number)
            except Exception:
                continue
            if layout is not None:
                layouts.append(layout)
    finally:
        # pdfplumber's close walks the pages again and re-raises what was skipped above
        with contextlib.suppress(Exception):
            pdf.close()
    return layouts
