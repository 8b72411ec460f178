"""Tables from words with positions, stated cell by cell so that each cell reads on its own.

1. Captions: a line part that starts "Table 2:" (or "Table 2.", "TABLE II"). The table is the
   run of lines above or below it (the side with table lines; the page's usual side when
   both have some), inside the caption's page column: every line inside a chain of rules
   that starts at the caption, then lines up to a wide gap, running text or a caption.
2. Columns (:mod:`synth.corpus.parsing.table_grid`): x-ranges that (almost) no line crosses;
   a cell over several columns is a spanning header ("Target tasks") or, alone on its line,
   a row-group label.
3. Header rows are the rows above the first row of numbers; each column's header is the path
   of header cells over it ("Target tasks", "BUCC", "F1"). Rows below are data rows, grouped
   by label rows and sideways labels ("No MLM"); a row of signed numbers is read against the
   nearest row of plain numbers above it (its baseline). A table set in two halves, side by
   side or one under the other, is read as one.
4. Each cell becomes a sentence: "Table 2, No MLM, HellaSwag, Target tasks BUCC (F1): +20.4
   (relative to XLM-R 71.5)." Each row's sentences are appended to the page text as one
   :attr:`BlockKind.TABLE` block whose section is "Table 2".

Everything here is pure except :func:`add_table_blocks`, which reads the words through
:mod:`synth.corpus.parsing.words`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from synth.corpus.parsing.cells import DASHES, is_numeric, value_parts
from synth.corpus.parsing.table_grid import (
    GridCell,
    GridRow,
    centred,
    column_cuts,
    column_extents,
    grid,
    is_data,
    label_columns,
)
from synth.corpus.parsing.words import (
    SIGNS,
    PageLayout,
    Rule,
    TextLine,
    Word,
    bands,
    text_lines,
)

MAX_LINES = 120  # lines a table may have (bounds the work on odd pages)
_CAPTION = re.compile(
    r"^(?:Table|TABLE|Tab\.)\s*([A-Z]?\d{1,3}|[IVXL]{1,6})(?=\s*(?:[:|]|\.(?!\d)|$))"
)
_OTHER_CAPTION = re.compile(r"^(?:Figure|Fig\.|FIGURE|Algorithm|Listing)\s*\d")
MENTION = re.compile(r"(?:Table|TABLE|Tab\.)\s*(?:[A-Z]?\d|[IVXL]+\b)")
_ZERO = re.compile(r"0*\.?0+%?")
_FOOTNOTES = {ord(m): " " for m in "†‡§¶"}


@dataclass(frozen=True)
class TableCell:
    """A value cell and the path of headers over its column ("Target tasks", "BUCC", "F1")."""

    header: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class TableRow:
    """A data row: its group labels (outermost first), its label, its non-empty value cells
    and the index of its baseline row (None when it has none)."""

    groups: tuple[str, ...]
    label: str
    cells: tuple[TableCell, ...]
    baseline: int | None = None


@dataclass(frozen=True)
class Table:
    """A table: its number as printed ("2"), its caption and its data rows."""

    number: str
    caption: str
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class _Caption:
    number: str
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _clean(text: str) -> str:
    """A label without footnote marks and with single spaces."""
    return " ".join(text.translate(_FOOTNOTES).split())


def _text(line: TextLine) -> str:
    return " ".join(s.text for s in line.segs)


# Finding the lines of a table beside its caption.


def _captions(lines: Sequence[TextLine]) -> list[_Caption]:
    """Captions: a line part starting "Table N", with the rest of its line (set apart by
    wide spaces) and the lines below it in its column."""
    found = []
    for i, line in enumerate(lines):
        for seg in line.segs:
            match = _CAPTION.match(seg.text)
            if not match:
                continue
            em, x0, x1, parts, bottom = seg.size, seg.x0, seg.x1, [seg.text], line.bottom
            for other in line.segs:
                if other.x0 > x1 and other.x0 - x1 < 1.5 * em:
                    x1, parts = other.x1, [*parts, other.text]
            for below in lines[i + 1 : i + 12]:
                near = [s for s in below.segs if s.x0 < x1 and s.x1 > x0 and abs(s.size - em) < 0.5]
                if not near or below.top - bottom > 0.5 * em:
                    break
                parts, bottom = parts + [s.text for s in near], below.bottom
            found.append(_Caption(match.group(1), " ".join(parts), x0, x1, line.top, bottom, em))
    return found


def _column_range(caption: _Caption, width: float) -> tuple[float, float]:
    """The page column holding the caption: the left or right half, or the whole width."""
    mid, slack = width / 2, 0.02 * width
    if caption.x1 <= mid + slack:
        return 0.0, mid
    return (mid, width) if caption.x0 >= mid - slack else (0.0, width)


def _is_prose(line: TextLine, width: float) -> bool:
    """A line of running text: one wide cell of many words."""
    return any(len(s.words) >= 7 and s.x1 - s.x0 > 0.33 * width for s in line.segs)


def _is_caption(line: TextLine) -> bool:
    return bool(_CAPTION.match(_text(line)) or _OTHER_CAPTION.match(_text(line)))


def _ruled_end(
    caption: _Caption, side: Sequence[TextLine], rules: Sequence[Rule], up: bool
) -> float | None:
    """Where a ruled table beside the caption ends: the farthest of a chain of rules of one
    width that starts near the caption and has no caption between its rules."""
    edge, height = (caption.top if up else caption.bottom), 1.2 * caption.size
    ordered = sorted((r for r in rules if (r.y <= edge + 1 if up else r.y >= edge - 1)),
                     key=lambda r: -r.y if up else r.y)  # fmt: skip
    end = None
    for r in ordered:
        if abs(r.y - edge) > (3.0 if end is None else 40.0) * height:
            break
        lo, hi = sorted((edge, r.y))
        if end is not None and (
            abs(r.x0 - ordered[0].x0) > 5 or abs(r.x1 - ordered[0].x1) > 5
            or any(lo < line.top < hi and _is_caption(line) for line in side)
        ):  # fmt: skip
            break
        end = edge = r.y
    return end


def _walk(
    caption: _Caption, lines: Sequence[TextLine], rules: Sequence[Rule], width: float, up: bool
) -> list[TextLine]:
    """The table lines on one side of the caption, nearest first: every line inside a chain
    of rules that starts at the caption, then lines up to a wide gap, a line of running text
    (unless a row of cells follows it) or another caption; a table with two or more rules
    ends at the outermost."""
    lo, hi = _column_range(caption, width)
    edge, height = (caption.top if up else caption.bottom), 1.2 * caption.size
    for r in rules:  # a rule next to the caption shows the table's width
        if abs(r.y - edge) <= 3 * height and r.x1 > lo and r.x0 < hi:
            lo, hi = min(lo, r.x0), max(hi, r.x1)
    side = []
    for line in lines:
        segs = tuple(s for s in line.segs if lo <= (s.x0 + s.x1) / 2 <= hi)
        if segs and (line.bottom <= caption.top + 1 if up else line.top >= caption.bottom - 1):
            side.append(TextLine(segs, line.top, line.bottom))
    side.sort(key=lambda c: -c.bottom if up else c.top)
    wide = [r for r in rules if min(r.x1, hi) - max(r.x0, lo) > 0.3 * (hi - lo)]
    taken: list[TextLine] = []
    end = _ruled_end(caption, side, wide, up)
    for k, line in enumerate(side[:MAX_LINES]):
        near, far = (line.bottom, edge) if up else (edge, line.top)
        if _is_caption(line):
            break
        if end is None or (line.top < end if up else line.bottom > end):
            ruled = any(near - 1 <= r.y <= far + 1 for r in wide)
            limit = (2.5 if not taken else 2.0) * height + (2.0 * height if ruled else 0.0)
            label = k + 1 < len(side) and len(side[k + 1].segs) > 1  # a long label over rows
            label = label and not _is_prose(side[k + 1], width)
            if far - near > limit or (_is_prose(line, width) and not label):
                break
        taken.append(line)
        edge = line.top if up else line.bottom
    if not taken:
        return taken
    y0, y1 = (taken[-1].top - height, caption.top) if up else (caption.bottom, taken[-1].bottom)
    inner = [r.y for r in wide if y0 <= r.y <= y1 + height]
    if len(inner) < 2:
        return taken
    outer = min(inner) if up else max(inner)
    return [t for t in taken if (t.top >= outer - 1 if up else t.bottom <= outer + 1)]


def _score(lines: Sequence[TextLine]) -> int:
    """How table-like lines are: lines of several cells, and cells of numbers."""
    return sum(len(line.segs) >= 2 for line in lines) + sum(
        is_numeric(s.text) for line in lines for s in line.segs
    )


def _header_paths(
    header: Sequence[GridRow], below: float, first: int, extents: Sequence[tuple[float, float]],
    rules: Sequence[Rule],
) -> list[tuple[str, ...]]:  # fmt: skip
    """Each value column's header path, top row first. A spanning cell heads the columns
    under a rule drawn just below it, a lone cell in the top row heads them all, and any
    other the run of free columns it is best centred on."""
    paths: list[list[str]] = [[] for _ in range(first, len(extents))]
    for index, row in enumerate(header):
        next_top = header[index + 1].top if index + 1 < len(header) else below
        cells = [c for c in row.cells if c.last >= first]
        taken = {k for c in cells for k in range(c.first, c.last + 1)}
        for cell in cells:
            mid = (cell.x0 + cell.x1) / 2
            near = [
                r for r in rules if row.bottom - 2 <= r.y <= next_top + 2 and r.x0 <= mid <= r.x1
            ]
            under = min(near, key=lambda r: r.x1 - r.x0, default=None)
            inside = [k for k in range(first, len(extents)) if under is not None
                      and under.x0 - 2 <= sum(extents[k]) / 2 <= under.x1 + 2]  # fmt: skip
            if inside and (cell.first != cell.last or len(cells) == 1):
                span = (min(inside), max(inside))
            elif index == 0 and len(cells) == 1:
                span = (first, len(extents) - 1)
            else:
                own = set(range(cell.first, cell.last + 1))
                span = centred(cell, first, extents, taken - own)
            taken |= set(range(span[0], span[1] + 1))
            part = _clean(cell.text)
            for path in paths[max(span[0], first) - first : span[1] + 1 - first]:
                if part and part not in DASHES and (not path or path[-1] != part):
                    path.append(part)
    return [tuple(p) for p in paths]


def _side_labels(words: Sequence[Word], rows: Sequence[GridRow], rules: Sequence[float]) -> (
    list[list[str]]
):  # fmt: skip
    """For each row, the labels set sideways beside the table (read bottom-up, as
    \\rotatebox{90} sets them) that head it: those of its ruled block, or in a table
    without rules, those beside it."""
    out: list[list[str]] = [[] for _ in rows]
    for band in bands(words, lambda w: (w.x0, w.x1)):
        band.sort(key=lambda w: -w.bottom)
        runs = [[band[0]]]
        for w in band[1:]:
            if runs[-1][-1].top - w.bottom <= 1.5 * max(w.size, runs[-1][-1].size):
                runs[-1].append(w)
            else:
                runs.append([w])
        for run in runs:
            text = _clean(" ".join(w.text for w in run))
            top, bottom = min(w.top for w in run), max(w.bottom for w in run)
            reach = 0.5 * (bottom - top)
            for i, row in enumerate(rows):
                y = (row.top + row.bottom) / 2
                near = top - reach <= y <= bottom + reach
                if text and (
                    _block(y, rules) == _block((top + bottom) / 2, rules) if rules else near
                ):
                    out[i].append(text)
    return out


def _block(y: float, rules: Sequence[float]) -> int:
    return sum(r < y for r in rules)


def _body(
    rows: Sequence[GridRow], labels: int, paths: Sequence[tuple[str, ...]], rules: Sequence[float],
    sides: Sequence[Sequence[str]],
) -> list[TableRow]:  # fmt: skip
    """Data rows. A lone cell of words starts a row group (until the next, or a rule after
    rows of it) or carries on the label above it (a wrapped line); an empty label takes the
    one above it in its ruled block; in a table of numbers, a row of words across the
    columns heads the rows below it (a table in two halves, one under the other)."""
    out: list[TableRow] = []
    group, used, fills, block = "", 0, [""] * labels, 0
    numbers = any(map(is_data, rows))
    for i, row in enumerate(rows):
        if _block((row.top + row.bottom) / 2, rules) != block:
            fills, block = [""] * labels, _block((row.top + row.bottom) / 2, rules)
            group = group if not used else ""
        values = [c for c in row.cells if c.last >= labels]
        if (
            numbers
            and len(values) >= max(2, len(paths) // 2)
            and not any(is_numeric(c.text) for c in row.cells)
        ):  # a header again
            paths = [(_clean(c.text),) for c in _spread_single(values, labels, len(paths))]
            continue
        if len(row.cells) == 1 and not is_numeric(row.cells[0].text):
            text = _clean(row.cells[0].text)
            last = out[-1].label if out else ""
            if out and row.cells[0].first < max(labels, 1) and (
                text[:1].islower() or text[:1] == "(" or last.endswith(("-", ",", "(", "/"))
            ):  # fmt: skip
                joint = "" if last.endswith("-") else " "
                out[-1] = TableRow(out[-1].groups, last + joint + text, out[-1].cells)
            else:
                group, used = text, 0
            continue
        names, texts = [""] * labels, [""] * len(paths)
        for c in row.cells:
            if c.first < labels:
                names[c.first] = c.text
                continue
            for k in range(c.first, c.last + 1):
                texts[k - labels] = " ".join(c.text.split())
        if not any(texts):
            continue
        fills = names = [n or f for n, f in zip(names, fills, strict=True)]
        cells = tuple(TableCell(paths[k], v) for k, v in enumerate(texts) if v)
        label = ", ".join(_clean(n) for n in names if n)
        out.append(TableRow(tuple(g for g in (*sides[i], group) if g), label, cells))
        used += 1
    return out


def _spread_single(cells: Sequence[GridCell], first: int, count: int) -> list[GridCell]:
    """One header cell per value column from a header row of one-column cells."""
    by_column = {c.first: c for c in cells if c.first == c.last}
    return [by_column.get(first + k, GridCell(0, 0, "", 0.0, 0.0)) for k in range(count)]


def _signed(row: TableRow) -> bool | None:
    """True for a row of differences (every number signed or zero, one at least "+"),
    False for a row of plain numbers, None for a row without numbers."""
    numbers = [
        p for c in row.cells if is_numeric(c.text) for p in value_parts(c.text) if is_numeric(p)
    ]
    if not numbers:
        return None
    signed = all(p[0] in SIGNS or _ZERO.fullmatch(p) for p in numbers)
    return signed and any(p.startswith("+") for p in numbers)


def _baselines(rows: Sequence[TableRow], offset: int) -> list[TableRow]:
    """Each row of differences with the nearest labelled row of plain numbers above it
    (indices count from ``offset``, where these rows will stand in their table)."""
    out, base = [], None
    for i, row in enumerate(rows):
        signed = _signed(row)
        if signed and base is not None:
            row = TableRow(row.groups, row.label, row.cells, base)
        elif signed is False and row.label:
            base = offset + i
        out.append(row)
    return out


def _restrict(rows: Sequence[GridRow], lo: int, hi: int) -> list[GridRow]:
    """The rows' cells in columns ``lo`` to ``hi - 1``, numbered from 0."""
    return [
        GridRow([GridCell(max(c.first, lo) - lo, min(c.last, hi - 1) - lo, c.text, c.x0, c.x1)
              for c in row.cells if c.first < hi and c.last >= lo], row.top, row.bottom)
        for row in rows
    ]  # fmt: skip


def _folds(paths: Sequence[tuple[str, ...]], labels: int) -> list[tuple[int, int]]:
    """Column ranges of a table set in side-by-side halves: where the label columns'
    headers come again ("ISO Code", "Language" ... "ISO Code", "Language")."""
    head, cuts = list(paths[:labels]), [0]
    for k in range(labels + 1, len(paths) - labels + 1):
        if labels and all(head) and list(paths[k : k + labels]) == head and k - cuts[-1] > labels:
            cuts.append(k)
    return list(zip(cuts, [*cuts[1:], len(paths)], strict=True))


def _table(caption: _Caption, lines: Sequence[TextLine], layout: PageLayout) -> Table | None:
    """The table made of ``lines`` (top to bottom), or None when they hold no grid."""
    cuts = column_cuts(lines)
    if len(lines) < 2 or not cuts:
        return None
    columns, rows = len(cuts) + 1, grid(lines, cuts)
    x0 = min(s.x0 for line in lines for s in line.segs)
    x1 = max(s.x1 for line in lines for s in line.segs)
    top, bottom = lines[0].top, lines[-1].bottom
    rules = [r for r in layout.rules if top - 2 <= r.y <= bottom + 2 and r.x1 > x0 and r.x0 < x1]
    long = sorted(r.y for r in rules if min(r.x1, x1) - max(r.x0, x0) >= 0.5 * (x1 - x0))
    ruled = [
        i for i in range(1, len(rows)) if _block(rows[i].top, long) > _block(rows[0].top, long)
    ]
    start = next((i for i, r in enumerate(rows) if is_data(r)), ruled[0] if ruled else 1)
    start = start if start <= 8 else 1
    while start > 1 and len(rows[start - 1].cells) == 1 < len(rows[start - 2].cells):
        start -= 1  # a lone label under the header starts the first row group
    header, body = rows[:start], rows[start:]
    if not body:
        return None
    extents = column_extents(rows, columns)
    sideways = [
        w
        for w in layout.words
        if w.vertical and x0 - 4 * w.size <= w.x0 <= x1 and top <= w.top <= bottom
    ]
    data: list[TableRow] = []
    whole = _header_paths(header, body[0].top, 0, extents, rules)
    for lo, hi in _folds(whole, label_columns(body, columns)):
        part = _restrict(body, lo, hi)
        labels = label_columns(part, hi - lo)
        paths = _header_paths(_restrict(header, lo, hi), body[0].top, labels, extents[lo:hi], rules)
        sides = _side_labels(sideways, part, long) if lo == 0 else [[] for _ in part]
        data += _baselines(_body(part, labels, paths, long, sides), len(data))
    return Table(caption.number, caption.text, tuple(data)) if data else None


def table_size(table: Table) -> int:
    return sum(len(row.cells) for row in table.rows)


def _without_line_numbers(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines without a review copy's line numbers: a column of ten or more distinct bare
    numbers at one x outside the running text's left or right edge."""
    prose = [s for line in lines for s in line.segs if len(s.words) >= 7]
    if not prose:
        return list(lines)
    lo, hi = min(s.x0 for s in prose), max(s.x1 for s in prose)
    columns: dict[int, list[str]] = {}
    for s in (s for line in lines for s in line.segs if s.text.isdigit()):
        columns.setdefault(round(s.x0 / 3), []).append(s.text)
    margins = {k for k, numbers in columns.items()
               if 10 <= len(set(numbers)) >= 0.8 * len(numbers)
               and not lo - 1 < 3 * k < hi - 1}  # fmt: skip
    kept = [(tuple(s for s in line.segs if not (s.text.isdigit() and round(s.x0 / 3) in margins)),
             line) for line in lines]  # fmt: skip
    return [TextLine(segs, line.top, line.bottom) for segs, line in kept if segs]


def find_tables(layout: PageLayout) -> list[Table]:
    """The captioned tables of one page.

    A caption with table lines on one side only shows the page's style (captions above or
    below tables); a caption with table lines on both sides follows the page's style, or,
    when the page shows none, takes the nearer side.

    Args:
        layout: The page's words and rules.

    Returns:
        One table per caption number (the fullest when a number is found twice, as when a
        line of running text starts "Table 3."), in caption order.
    """
    lines = _without_line_numbers(text_lines(layout.words))
    walks = []
    for caption in _captions(lines):
        up, down = (_walk(caption, lines, layout.rules, layout.width, u) for u in (True, False))
        walks.append((caption, up, down))
    clear = [bool(_score(u)) for _, u, d in walks if bool(_score(u)) != bool(_score(d))]
    above = 2 * sum(clear) >= len(clear) if clear else None  # tables above their captions
    found: dict[str, Table] = {}
    for caption, up, down in walks:
        if not (_score(up) or _score(down)):
            continue
        nearer = bool(up) and (
            not down or caption.top - up[0].bottom <= down[0].top - caption.bottom
        )
        side = (
            (above if above is not None else nearer)
            if _score(up) and _score(down)
            else _score(up) > 0
        )
        table = _table(caption, sorted(up if side else down, key=lambda line: line.top), layout)
        old = found.get(caption.number)
        if table is not None and (old is None or table_size(table) > table_size(old)):
            found[caption.number] = table
    return list(found.values())
