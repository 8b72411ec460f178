"""A table's grid: the columns its lines leave gaps for, each line's cells by column, and
what a row or column of cells holds. Pure; :mod:`synth.corpus.parsing.tables` reads the
header and body from it."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from synth.corpus.parsing.cells import DASHES, is_numeric
from synth.corpus.parsing.words import TextLine, Word, join_words

MAX_COLUMNS = 40


@dataclass(frozen=True)
class GridCell:
    first: int  # the first and last column it covers
    last: int
    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class GridRow:
    cells: list[GridCell]
    top: float
    bottom: float


def column_cuts(lines: Sequence[TextLine]) -> list[float]:
    """x positions between columns: the middle of each interior stretch that at most a few
    lines cover (a spanning header or an odd long label may cross a column gap)."""
    x0 = min(s.x0 for line in lines for s in line.segs)
    x1 = max(s.x1 for line in lines for s in line.segs)
    step = 0.5
    bins = int((x1 - x0) / step) + 1
    delta = [0] * (bins + 2)
    for s in (s for line in lines for s in line.segs):
        delta[int((s.x0 - x0) / step)] += 1
        delta[int((s.x1 - x0) / step) + 1] -= 1
    counts, running = [], 0
    for d in delta[:bins]:
        running += d
        counts.append(running)
    allowed = max(1, int(0.15 * sum(len(line.segs) >= 2 for line in lines)))
    em = statistics.median(s.size for line in lines for s in line.segs)
    cuts, i = [], 0
    while i < bins:
        j = i
        while j < bins and counts[j] <= allowed:
            j += 1
        if i > 0 and j < bins and (j - i) * step >= 0.3 * em:
            lowest = [k for k in range(i, j) if counts[k] == min(counts[i:j])]
            cuts.append(x0 + (lowest[len(lowest) // 2] + 0.5) * step)
        i = j + 1
    return cuts[: MAX_COLUMNS - 1]


def _column_of(x: float, cuts: Sequence[float]) -> int:
    return sum(x > c for c in cuts)


def grid(lines: Sequence[TextLine], cuts: Sequence[float]) -> list[GridRow]:
    """Each line's cells by column. A cell over several columns stays one spanning cell on a
    line of words (a header) or alone on its line; on a line of numbers its words are cells
    that ran together, each put in its own column."""
    rows = []
    for line in lines:
        wordy = len(line.segs) == 1 or not any(is_numeric(s.text) for s in line.segs)
        cells: list[GridCell] = []
        for seg in line.segs:
            first = _column_of(seg.x0 + 1.0, cuts)
            last = max(first, _column_of(seg.x1 - 1.0, cuts))
            if first == last or wordy:
                cells.append(GridCell(first, last, seg.text, seg.x0, seg.x1))
                continue
            by_column: dict[int, list[Word]] = {}
            for w in seg.words:
                by_column.setdefault(_column_of((w.x0 + w.x1) / 2, cuts), []).append(w)
            for k, words in sorted(by_column.items()):
                cells.append(GridCell(k, k, join_words(words), words[0].x0, words[-1].x1))
        merged: list[GridCell] = []
        for c in cells:  # two cells of one column on one line make one
            p = merged[-1] if merged else None
            if p and p.first == p.last == c.first == c.last:
                merged[-1] = GridCell(c.first, c.last, f"{p.text} {c.text}", p.x0, c.x1)
            else:
                merged.append(c)
        rows.append(GridRow(merged, line.top, line.bottom))
    return rows


def is_data(row: GridRow) -> bool:
    """A row of numbers: one at least, and a third at least of its cells that are not dashes."""
    texts = [c.text for c in row.cells if c.text.strip() not in DASHES]
    numbers = sum(is_numeric(t) for t in texts)
    return numbers >= 1 and 3 * numbers >= len(texts)


def label_columns(body: Sequence[GridRow], columns: int) -> int:
    """How many leading columns label the rows (mostly words): none when the first column
    holds numbers, one in a table of words."""
    count = 0
    for column in range(columns):
        texts = [c.text for r in body for c in r.cells if c.first == c.last == column]
        words = sum(not is_numeric(t) and t.strip() not in DASHES for t in texts)
        if not texts or 2 * words <= len(texts):
            break
        count += 1
    return 1 if count == columns else count


def column_extents(rows: Sequence[GridRow], columns: int) -> list[tuple[float, float]]:
    """Each column's x-range: the union of its one-column cells."""
    spans = [(1e6, -1e6)] * columns
    for c in (c for row in rows for c in row.cells if c.first == c.last):
        spans[c.first] = (min(spans[c.first][0], c.x0), max(spans[c.first][1], c.x1))
    return spans


def centred(
    cell: GridCell, first: int, extents: Sequence[tuple[float, float]], taken: set[int]
) -> tuple[int, int]:
    """The run of columns (from ``first`` on), holding the cell's own and none ``taken``,
    whose middle is nearest the cell's; the narrowest such run on a tie."""
    mid = (cell.x0 + cell.x1) / 2
    best, distance = (cell.first, cell.last), float("inf")
    for a in range(first, max(cell.first, first) + 1):
        for b in range(max(cell.last, a), len(extents)):
            if not taken.intersection(range(a, b + 1)):
                d = abs((extents[a][0] + extents[b][1]) / 2 - mid)
                best, distance = ((a, b), d) if d < distance - 0.5 else (best, distance)
    return best
