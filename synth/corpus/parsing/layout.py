"""Page layout: positioned glyphs -> lines -> reading order -> what each block is. Pure.

A PDF page is a set of glyphs with boxes and font sizes (:mod:`synth.corpus.parsing.pdf`
reads them). :func:`make_lines` groups glyphs that share a baseline into lines, cutting a
row wherever a gap is wider than a word space (so two columns, or the cells of a table
row, give separate lines). :func:`find_gutter` finds the white band between two columns
and :func:`split_columns` reads the page in bands: text that crosses the gutter (a title,
a full-width figure) separates bands, and inside a band the left column comes before the
right one. :func:`arrange_page` cuts the columns into blocks and says what each is: body
text, a heading, a caption or a footnote (both kept apart, after the body text), or
table cells, figure labels and formulas (left out). Coordinates are in points, ``top``
growing down the page.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from synth.corpus.parsing.clean import normalise_line, venue_line
from synth.corpus.parsing.structure import LineKind, TextLine, heading, number_token

ROW_TOLERANCE = 0.4  # glyph centres within this many font sizes share a row
SPACE_GAP = 0.15  # a gap this many font sizes wide is a space between words
CELL_GAP = 0.6  # a gap this wide splits a row into pieces (columns, table cells) ...
MERGE_GAP = 2.5  # ... and pieces in one column closer than this are joined again
GUTTER_SEARCH = (0.3, 0.7)  # where on the page a column gutter may lie (share of the width)
MAX_CROSSING_LINES = 0.2  # share of the lines that may cross a gutter (titles, figures) ...
MAX_CROSSING = 0.3  # ... or of the characters (a long caption over a wide table)
MIN_SIDE_LINES = 3  # lines a column needs on each side of a gutter
LINE_NUMBERS = 10  # numbers in a vertical run that make a review copy's line numbering
BLOCK_GAP = 0.5  # a gap this many font sizes wider than the usual one ends a block
SIZE_STEP = 0.8  # sizes this far apart are different type (a heading, a footnote)
INDENT = 0.8  # a line indented this many font sizes opens a paragraph
FIGURE_SIZE = 2.0  # type this much larger than the body is in a figure (titles aside)
PROSE_WORDS = 4  # a block with fewer words is a label, not prose
FOOTNOTE_ZONE = 0.6  # a footnote without body text above it starts this far down the page
TITLE_STEP = 0.5  # the title's lines are within this of the largest size on page 1
_CAPTION = re.compile(
    r"^(?:figure|fig\.|table|tab\.|algorithm|listing)\s*[A-Z]?\d+[a-z]?\s*[:.|—–]", re.I
)
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}|[A-H])(?:\.\d{1,2})*\.?\s")
_FIGURE_CAPTION = re.compile(r"^(?:figure|fig\.)", re.I)
_NOTE_MARK = re.compile(r"^(?:\d{1,2}|[∗*†‡§¶])\s?[A-Za-z(]")  # "5https://...", "∗Equal ..."
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|medi|[-,]b\b|cmbx|bx\d", re.I)
_INTEGER = re.compile(r"^\d{1,4}$")


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character drawn on a page, upright, with its box and font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Line:
    """Glyphs on one baseline without a wide gap: a column's line, a heading, a table cell.
    ``size`` is the font size most of its characters have; ``bold`` says most are bold;
    ``cells`` counts the lines on the same row of the same column, itself included."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    cells: int = 1

    @property
    def middle(self) -> float:
        """The line's vertical centre."""
        return (self.top + self.bottom) / 2


def bold_font(name: str, weight: int) -> bool:
    """Whether a font is bold, from its name ("Times-Bold", "NimbusRomNo9L-Medi", "CMBX10")
    or its weight.

    Args:
        name: The font's PostScript name.
        weight: Its weight (400 regular, 700 bold; 0 or -1 when unknown).

    Returns:
        True for a bold font.
    """
    return weight >= 600 or bool(_BOLD_NAME.search(name.split("+")[-1]))


def _line(glyphs: list[Glyph]) -> Line:
    parts = [glyphs[0].text]
    for prev, glyph in itertools.pairwise(glyphs):
        gap = glyph.x0 - prev.x1
        if gap > SPACE_GAP * max(prev.size, glyph.size) and parts[-1] != " " and glyph.text != " ":
            parts.append(" ")
        parts.append(glyph.text)
    letters = [g for g in glyphs if g.text.isalnum()] or glyphs
    sizes = {round(g.size, 1) for g in letters}
    size = sizes.pop() if len(sizes) == 1 else _most_common(round(g.size, 1) for g in letters)
    return Line(
        text=" ".join("".join(parts).split()),
        x0=min(g.x0 for g in glyphs),
        x1=max(g.x1 for g in glyphs),
        top=statistics.median(g.top for g in glyphs),
        bottom=statistics.median(g.bottom for g in glyphs),
        size=size,
        bold=sum(g.bold for g in letters) >= 0.9 * len(letters),
    )


def _most_common(values: Iterable[float]) -> float:
    return Counter(values).most_common(1)[0][0]


def _rows(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by baseline: each row holds the glyphs whose centre lies within
    ``ROW_TOLERANCE`` font sizes of the row's first (top-most) glyph."""
    rows: list[list[Glyph]] = []
    anchor = 0.0
    for glyph in sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2):
        middle = (glyph.top + glyph.bottom) / 2
        if rows and middle - anchor <= ROW_TOLERANCE * max(glyph.size, rows[-1][0].size):
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
            anchor = middle
    return rows


def make_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """The page's lines: glyphs grouped by row, ordered left to right, cut at gaps wider
    than ``CELL_GAP`` font sizes. A glyph drawn twice at the same place (fake bold) counts
    once; blank lines are dropped.

    Args:
        glyphs: The page's upright glyphs.

    Returns:
        Its lines, top to bottom and left to right.
    """
    lines = []
    for row in _rows(glyphs):
        row.sort(key=lambda g: (g.x0, g.x1))
        run: list[Glyph] = []
        right = -math.inf
        for glyph in row:
            if run and glyph.text == run[-1].text and abs(glyph.x0 - run[-1].x0) < 0.5:
                continue  # the same glyph again
            if run and glyph.x0 - right > CELL_GAP * glyph.size:
                lines.append(run)
                run, right = [], -math.inf
            run.append(glyph)
            right = max(right, glyph.x1)
        lines.append(run)
    made = [_line(run) for run in lines if any(not g.text.isspace() for g in run)]
    return sorted(made, key=lambda ln: (round(ln.top), ln.x0))


def drop_line_numbers(lines: list[Line]) -> list[Line]:
    """Lines without a review copy's line numbering: a vertical run of at least
    ``LINE_NUMBERS`` bare integers at one x position, counting up by one down the page.

    Args:
        lines: A page's lines.

    Returns:
        The same lines less the numbering.
    """
    numbers = [ln for ln in lines if _INTEGER.match(ln.text)]
    by_edge: dict[int, list[Line]] = {}
    for ln in numbers:
        by_edge.setdefault(round(ln.x1 / 4), []).append(ln)
    drop: set[int] = set()
    for run in by_edge.values():
        run.sort(key=lambda ln: ln.top)
        steps = [int(b.text) - int(a.text) for a, b in itertools.pairwise(run)]
        if len(run) >= LINE_NUMBERS and sum(s == 1 for s in steps) >= 0.8 * len(steps):
            drop.update(id(ln) for ln in run)
    return [ln for ln in lines if id(ln) not in drop]


def find_gutter(lines: Sequence[Line], width: float) -> float | None:
    """The x position of a two-column gutter, or None for a one-column page: the point in
    the middle of the page with at least ``MIN_SIDE_LINES`` lines wholly on each side that
    few lines cross (at most ``MAX_CROSSING_LINES`` of them, or ``MAX_CROSSING`` of the
    characters: a title, a long caption, a wide table), and of those the one crossed by
    the fewest characters, so that the many short cells of a wide table do not outvote
    the long lines of the columns under it.

    Args:
        lines: A page's lines.
        width: The page's width.

    Returns:
        The gutter's x, or None.
    """
    if len(lines) < 2 * MIN_SIDE_LINES:
        return None
    size = int(width) + 2
    count, weight = [0] * (size + 1), [0] * (size + 1)
    ends, starts = [0] * (size + 1), [0] * (size + 1)
    for ln in lines:  # counted per whole point x: crossing when x0 < x < x1
        first, last = max(0, math.floor(ln.x0) + 1), min(size, math.ceil(ln.x1))
        if first < last:
            count[first] += 1
            count[last] -= 1
            weight[first] += len(ln.text)
            weight[last] -= len(ln.text)
        ends[min(size, max(0, math.ceil(ln.x1)))] += 1
        starts[min(size, max(0, math.floor(ln.x0)))] += 1
    total = sum(len(ln.text) for ln in lines)
    low, high = (int(width * share) for share in GUTTER_SEARCH)
    best: int | None = None
    runs: list[list[int]] = []
    crossing = chars = left = 0
    right = len(lines)
    for x in range(size):
        crossing, chars, left = crossing + count[x], chars + weight[x], left + ends[x]
        right -= starts[x - 1] if x else 0
        few = crossing <= MAX_CROSSING_LINES * len(lines) or chars <= MAX_CROSSING * total
        if x < low or x > high or min(left, right) < MIN_SIDE_LINES or not few:
            continue
        if best is None or chars < best:
            best, runs = chars, [[x]]
        elif chars == best:
            if runs[-1][-1] == x - 1:
                runs[-1].append(x)
            else:
                runs.append([x])
    if best is None:
        return None
    widest = max(runs, key=len)
    return (widest[0] + widest[-1]) / 2


def split_columns(lines: Sequence[Line], gutter: float | None) -> list[list[Line]]:
    """The page in reading order as column runs: bands separated by lines that cross the
    gutter, each band's left column then its right one; a crossing line is a run of its
    own. In a column, pieces of one row closer than ``MERGE_GAP`` font sizes are joined
    (a justified line cut at a wide space) and ``cells`` counts the pieces left.

    Args:
        lines: A page's lines, top to bottom.
        gutter: The gutter's x (None: one column).

    Returns:
        Runs of lines, each run one column of one band (or one crossing line), in order.
    """
    runs: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        runs.extend(_with_cells(side) for side in (left, right) if side)
        left.clear()
        right.clear()

    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if gutter is None or line.x1 <= gutter:
            left.append(line)
        elif line.x0 >= gutter:
            right.append(line)
        else:
            crossing = (
                runs and not left and not right and runs[-1][-1].x1 > gutter > runs[-1][-1].x0
            )
            flush()
            if crossing:
                runs[-1].append(line)  # full-width lines in a row read as one run
            else:
                runs.append([line])
    flush()
    return runs


def _join(a: Line, b: Line) -> Line:
    """Two lines of one row as one, ``a`` on the left."""
    return Line(
        text=f"{a.text} {b.text}",
        x0=min(a.x0, b.x0),
        x1=max(a.x1, b.x1),
        top=min(a.top, b.top),
        bottom=max(a.bottom, b.bottom),
        size=a.size if len(a.text) >= len(b.text) else b.size,
        bold=a.bold and b.bold,
    )


def _with_cells(column: list[Line]) -> list[Line]:
    """``column``'s rows with pieces closer than ``MERGE_GAP`` font sizes joined (a
    justified line cut at a wide space) and ``cells`` set to the pieces left in the row."""
    rows: list[list[Line]] = []
    for line in column:  # top to bottom
        if rows and abs(line.middle - rows[-1][0].middle) <= ROW_TOLERANCE * line.size:
            rows[-1].append(line)
        else:
            rows.append([line])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        joined = [row[0]]
        for line in row[1:]:
            if line.x0 - joined[-1].x1 < MERGE_GAP * max(line.size, joined[-1].size):
                joined[-1] = _join(joined[-1], line)
            else:
                joined.append(line)
        out.extend(replace(line, cells=len(joined)) for line in joined)
    return out


def body_size(sizes: Iterable[tuple[float, int]]) -> float:
    """The body text's font size: the size most characters are set in.

    Args:
        sizes: ``(font size, characters)`` pairs, for example one per line.

    Returns:
        That size (10.0 when there is no text).
    """
    counts: Counter[float] = Counter()
    for size, chars in sizes:
        counts[round(size * 2) / 2] += chars
    return counts.most_common(1)[0][0] if counts else 10.0


class _Role(StrEnum):
    BODY = "body"
    HEADING = "heading"
    CAPTION = "caption"
    SMALL = "small"  # prose in a smaller type: a footnote when no body text lies below it
    DROP = "drop"  # table cells, figure labels, equations: not prose


def line_gap(runs: Iterable[Sequence[Line]]) -> float:
    """The usual white space between two lines of a paragraph on a page (it depends on the
    leading): the median gap between neighbouring lines of one size in a column.

    Args:
        runs: The page's columns, each a run of lines top to bottom.

    Returns:
        The gap in points (0 when no two lines are neighbours).
    """
    gaps = [
        b.top - a.bottom
        for run in runs
        for a, b in itertools.pairwise(run)
        if abs(a.size - b.size) < SIZE_STEP and 0 <= b.top - a.bottom < a.size
    ]
    return statistics.median(gaps) if gaps else 0.0


def _blocks(run: list[Line], gap: float) -> list[list[Line]]:
    """A column's lines cut into blocks at vertical gaps wider than a paragraph's usual
    ``gap``, at changes of type, and at captions."""
    blocks: list[list[Line]] = []
    for line in run:
        prev = blocks[-1][-1] if blocks else None
        if (
            prev is None
            or line.top - prev.bottom > gap + BLOCK_GAP * max(line.size, prev.size)
            or abs(line.size - prev.size) > SIZE_STEP
            or line.bold != prev.bold
            or _CAPTION.match(line.text)
            or (line.bold and _SECTION_NUMBER.match(line.text))  # "2 Setup" then "2.1 Model"
        ):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def _block_size(block: list[Line]) -> float:
    return _most_common(ln.size for ln in block for _ in ln.text)


def _numeric_share(words: list[str]) -> float:
    return sum(map(number_token, words)) / len(words) if words else 1.0


def _role(block: list[Line], body: float, front: bool) -> _Role:
    """What a block is: ``front`` is page 1 before its first heading, where the title and
    the authors' lines are kept even when they are short."""
    text = " ".join(ln.text for ln in block)
    words = text.split()
    size = _block_size(block)
    if _CAPTION.match(block[0].text):
        return _Role.CAPTION
    set_apart = all(ln.bold for ln in block) or size >= body + SIZE_STEP
    alone = len(block) <= 3 and all(ln.cells == 1 for ln in block)
    if set_apart and alone and heading(text, in_references=False, set_apart=True) is not None:
        return _Role.HEADING
    if front:
        return _Role.BODY
    if sum(ln.cells > 1 for ln in block) * 2 >= len(block) or _numeric_share(words) >= 0.4:
        return _Role.DROP  # a table, or a row of figures
    small = size <= body - SIZE_STEP
    if small and _NOTE_MARK.match(text):
        return _Role.SMALL
    alphabetic = sum(any(c.isalpha() for c in w) for w in words)
    if size >= body + FIGURE_SIZE or len(words) < PROSE_WORDS or alphabetic * 2 < len(words):
        return _Role.DROP  # figure text, a formula, stray labels
    return _Role.SMALL if small else _Role.BODY


def _drop_figure_text(placed: list[tuple[_Role, list[Line], float, bool]], body: float) -> None:
    """Drop the text of figures: the blocks above a "Figure N:" caption and over it, back
    to the nearest heading or body-size paragraph there, are labels and legends."""
    for i, (role, block, _, _) in enumerate(placed):
        if role is not _Role.CAPTION or not _FIGURE_CAPTION.match(block[0].text):
            continue
        x0, x1 = min(ln.x0 for ln in block), max(ln.x1 for ln in block)
        for j in range(i - 1, -1, -1):
            other, lines, left, opens = placed[j]
            if lines[-1].bottom > block[0].top or lines[0].x1 < x0 or lines[0].x0 > x1:
                continue  # not above the caption
            if other in (_Role.HEADING, _Role.CAPTION) or (
                other is _Role.BODY and abs(_block_size(lines) - body) < SIZE_STEP
            ):
                break
            placed[j] = (_Role.DROP, lines, left, opens)


def _starts(block: list[Line], left: float, opens: bool) -> list[bool]:
    """Which lines of a body block open a paragraph: the first when ``opens`` or when it is
    indented from the column's ``left`` edge; after it, indented lines, or under a hanging
    indent (a reference list) the lines that are not indented."""
    edge = min(ln.x0 for ln in block) if len(block) > 1 else left
    indented = [ln.x0 - edge > INDENT * ln.size for ln in block]
    hanging = sum(indented[1:]) * 2 > len(block) - 1 > 0
    starts = [opens or block[0].x0 - left > INDENT * block[0].size]
    starts += [not flag if hanging else flag for flag in indented[1:]]
    return starts


def arrange_page(
    lines: Sequence[Line], width: float, height: float, body: float, first: bool
) -> list[TextLine]:
    """A page's lines in reading order with their kinds: body text and headings column by
    column, then captions, then footnotes (small type with no body text below it), so that
    neither breaks a paragraph. Table cells, figure labels and formulas are left out.

    Args:
        lines: The page's lines, running headers and line numbers removed.
        width: The page's width.
        height: The page's height.
        body: The document's body font size.
        first: Whether this is page 1 (its title and authors are kept however short).

    Returns:
        The page's lines for :func:`~synth.corpus.parsing.structure.structure_pages`.
    """
    runs = split_columns(lines, find_gutter(lines, width))
    gap = line_gap(runs)
    front = first
    placed: list[tuple[_Role, list[Line], float, bool]] = []
    for run in runs:
        left = min(ln.x0 for ln in run)
        flow_seen = False
        after_heading = False
        for block in _blocks(run, gap):
            role = _role(block, body, front)
            front = front and role is not _Role.HEADING
            if role is _Role.SMALL and after_heading:
                role = _Role.BODY  # small type right under a heading (References): no footnote
            elif role is not _Role.DROP:
                after_heading = role is _Role.HEADING
            placed.append((role, block, left, flow_seen))
            flow_seen = flow_seen or role in (_Role.BODY, _Role.HEADING, _Role.SMALL)
    _drop_figure_text(placed, body)
    body_lines = [ln for role, block, _, _ in placed if role is _Role.BODY for ln in block]
    flow: list[TextLine] = []
    captions: list[TextLine] = []
    notes: list[TextLine] = []
    for role, block, left, opens in placed:
        if role is _Role.SMALL and _footnote(block, body_lines, height):
            notes += _text_lines(block, LineKind.FLOAT, _starts(block, left, True))
        elif role is _Role.CAPTION:
            captions += _text_lines(block, LineKind.FLOAT, _starts(block, left, True))
        elif role is _Role.HEADING:
            text = normalise_line(" ".join(ln.text for ln in block))
            flow.append(TextLine(text, LineKind.HEADING))
        elif role is not _Role.DROP:
            flow += _text_lines(block, LineKind.BODY, _starts(block, left, opens))
    return flow + captions + notes


def _footnote(block: list[Line], body_lines: list[Line], height: float) -> bool:
    """Whether a block in small type is a footnote: no body text below it in its column,
    and body text above it there or the block low on the page (a reference list in small
    type at the top of a column is not)."""
    over = [ln for ln in body_lines if ln.x0 < block[0].x1 and ln.x1 > block[0].x0]
    if any(ln.top > block[-1].bottom for ln in over):
        return False
    return any(ln.bottom < block[0].top for ln in over) or block[0].top > FOOTNOTE_ZONE * height


def _text_lines(block: list[Line], kind: LineKind, starts: list[bool]) -> list[TextLine]:
    return [
        TextLine(normalise_line(ln.text), kind, start)
        for ln, start in zip(block, starts, strict=True)
    ]


def find_title(lines: Sequence[Line], height: float, body: float) -> str:
    """The title on page 1: the lines in the largest type in the top half of the page
    (venue and copyright lines aside), read together; "" when nothing there is set larger
    than the body text.

    Args:
        lines: Page 1's lines, top to bottom.
        height: The page's height.
        body: The document's body font size.

    Returns:
        The title, or "".
    """
    candidates = [
        ln
        for ln in lines
        if ln.top < height / 2 and sum(c.isalpha() for c in ln.text) > 1 and not venue_line(ln.text)
    ]
    if not candidates:
        return ""
    largest = max(ln.size for ln in candidates)
    if largest < body + TITLE_STEP:
        return ""
    title: list[Line] = []
    for line in sorted(candidates, key=lambda ln: (ln.top, ln.x0)):
        if line.size < largest - TITLE_STEP:
            if title:
                break
            continue
        if title and line.top - title[-1].bottom > largest:
            break
        title.append(line)
    return normalise_line(" ".join(ln.text for ln in title))
